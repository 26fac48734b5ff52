"""The mistake lab in class mode: the teacher runs the gradient check and every student receives the same verdict
(``lab_check``), late joiners included, until the network changes; students still may not run it."""
from __future__ import annotations

import pytest
from class_cases import TOKEN

VARIANTS = ["sigma-prime-of-activation", "flipped-sign", "correct"]  # two rules gradcheck flags, the true one


def verdict(ack):
    """The verdict as the room carries it: the teacher's ack without the event's own ``ok``."""
    return {k: v for k, v in ack.items() if k != "ok"}


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_student_gets_the_verdict_the_teacher_gets(join, variant):
    teacher = join("teacher")
    ana, ben = join("student", name="Ana"), join("student", name="Ben")
    assert teacher.call("configure", {"preset": "letters", "variant": variant,
                                      "compare": variant != "correct"})["ok"] is True
    ack = teacher.call("gradcheck")
    assert ack["ok"] is True and ack["variant"]["name"] == variant
    assert ack["passed"] is (variant == "correct")
    for student in (ana, ben, teacher):
        assert student.wait_for("lab_check") == verdict(ack)


def test_a_late_student_is_welcomed_with_the_verdict_until_the_network_changes(join):
    teacher = join("teacher")
    assert teacher.call("configure", {"preset": "letters", "variant": "flipped-sign", "compare": True})["ok"]
    ack = teacher.call("gradcheck")
    late = join("student", name="Late")
    names = [n for n, _ in late.events()]
    assert names.index("network") < names.index("lab_check")  # about the network it was welcomed with
    assert late.events("lab_check") == [verdict(ack)]
    assert teacher.call("configure", {"preset": "letters"})["ok"] is True  # another network: no verdict on it yet
    later = join("student", name="Later")
    later.wait_for("network")
    assert later.events("lab_check") == []


def test_a_student_may_not_run_the_check_and_nobody_gets_a_verdict(join):
    teacher = join("teacher")
    assert teacher.call("configure", {"preset": "letters", "variant": "flipped-sign", "compare": True})["ok"]
    ana = join("student", name="Ana")
    ack = ana.call("gradcheck")
    assert ack["ok"] is False and ack["error"]["field"] == "role"
    assert ana.events("lab_check") == [] and teacher.events("lab_check") == []


@pytest.mark.live
def test_on_a_live_server_the_verdict_reaches_real_socketio_clients(class_server, clients):
    teacher = clients(class_server.url, {"token": TOKEN})
    teacher.call("configure", {"preset": "letters", "variant": "flipped-sign", "compare": True})
    student = clients(class_server.url, {"code": class_server.code, "name": "Ana"})
    student.wait_for("network", lambda p: p["config"].get("variant") == "flipped-sign")
    ack = teacher.call("gradcheck")
    assert ack["ok"] is True and ack["passed"] is False
    assert student.wait_for("lab_check") == verdict(ack)
    late = clients(class_server.url, {"code": class_server.code, "name": "Late"})
    assert late.wait_for("lab_check") == verdict(ack)
