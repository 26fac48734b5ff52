"""Who may join a class: the token, the join code, display names, refusals, the links and the command line."""
from __future__ import annotations

import argparse

import pytest
from class_cases import TOKEN

from app import cli
from app.classroom import cli as classroom_cli
from app.classroom.identity import (
    CODE_ALPHABET,
    Classroom,
    Refused,
    check_token_format,
    clean_name,
    join_code,
    new_token,
    normalize_code,
    same_secret,
)


def test_the_code_is_derived_from_the_token_and_readable():
    code = join_code(TOKEN)
    assert code == join_code(TOKEN) and len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert join_code(TOKEN + "x") != code
    assert not set("IL01O") & set(CODE_ALPHABET)


def test_a_default_token_is_strong_and_fresh():
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 32
    assert Classroom.make().token != Classroom.make().token


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {a}-{b} ", "{a} {b}"])
def test_codes_are_typed_loosely(typed):
    code = join_code(TOKEN)
    text = typed.format(code=code, lower=code.lower(), a=code[:3], b=code[3:])
    assert normalize_code(text) == code


@pytest.mark.parametrize("raw,clean", [
    ("Ana", "Ana"),
    ("  Ana   María  ", "Ana María"),
    ("<script>alert(1)</script>", "script alert 1 script"),
    ("Zoë\u200b\u202eevil", "Zoë evil"),
    ("O'Brien-Smith_2", "O'Brien-Smith_2"),
    ("x" * 80, "x" * 24),
    ("ｆｕｌｌ", "full"),
    ("   ", None),
    ("<>{}", None),
    (42, None),
    (None, None),
])
def test_display_names_are_sanitised(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("token", ["short", "has space in it", "semi;colon-token", "x" * 129, ""])
def test_a_teacher_token_must_be_url_safe_and_long_enough(token):
    with pytest.raises(ValueError, match="teacher token"):
        check_token_format(token)


def test_secrets_compare_only_equal_strings():
    assert same_secret(TOKEN, TOKEN)
    assert not same_secret(TOKEN[:-1], TOKEN)
    assert not same_secret(None, TOKEN) and not same_secret(123, TOKEN) and not same_secret("x" * 300, TOKEN)


ANONYMOUS = "this server runs a class"


@pytest.mark.parametrize("auth,message", [
    (None, ANONYMOUS), ("token", ANONYMOUS), ({}, ANONYMOUS), ({"name": "Ana"}, ANONYMOUS),
    ({"token": "wrong-token-here"}, "wrong teacher token"), ({"token": None}, "wrong teacher token"),
    ({"token": TOKEN + " "}, "wrong teacher token"), ({"code": "ZZZZZZ"}, "no class has that code"),
    ({"code": 123456}, "no class has that code"), ({"code": None}, "no class has that code"),
])
def test_refusals_say_why_but_never_the_token(classroom, auth, message):
    with pytest.raises(Refused, match=message) as info:
        classroom.role_for(auth)
    assert TOKEN not in str(info.value) and classroom.code not in str(info.value)


def test_roles(classroom):
    assert classroom.role_for({"token": TOKEN}) == ("teacher", None)
    assert classroom.role_for({"code": classroom.code.lower(), "name": " Ana "}) == ("student", "Ana")
    assert classroom.role_for({"code": classroom.code}) == ("student", None)


def test_the_links(classroom):
    assert classroom.teacher_url == f"http://127.0.0.1:5000/#teacher={TOKEN}"
    assert classroom.join_page == "http://10.0.0.5:5000/join"
    assert classroom.join_url == f"http://10.0.0.5:5000/join?code={classroom.code}"
    assert TOKEN not in str(classroom.public())


def parse(*argv):
    parser = cli.build_parser()
    return parser.parse_args(["serve", *argv])


def test_classroom_options():
    args = parse("--classroom", "--teacher-token", TOKEN, "--public-url", "https://ai.school.example",
                 "--message-queue", "redis://127.0.0.1:6379/0")
    assert (args.classroom, args.teacher_token, args.public_url, args.message_queue) == (
        True, TOKEN, "https://ai.school.example/", "redis://127.0.0.1:6379/0")
    assert classroom_cli.needs_classroom(parse()) is None


@pytest.mark.parametrize("argv,flag", [(["--teacher-token", TOKEN], "--teacher-token"),
                                       (["--public-url", "http://x/"], "--public-url"),
                                       (["--message-queue", "redis://h/0"], "--message-queue")])
def test_class_options_need_classroom(argv, flag, capsys):
    assert classroom_cli.needs_classroom(parse(*argv)) == flag
    assert cli.main(argv) == 2
    assert capsys.readouterr().err == f"backprop-playground serve: error: {flag} needs --classroom\n"


@pytest.mark.parametrize("argv", [["--classroom", "--teacher-token", "bad token"], ["--public-url", "ftp://x"]])
def test_bad_class_options_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2


@pytest.mark.parametrize("host,public,student_base", [
    ("127.0.0.1", None, "http://127.0.0.1:5000/"),
    ("0.0.0.0", "https://ai.school.example/", "https://ai.school.example/"),
])
def test_where_students_are_sent(host, public, student_base):
    args = argparse.Namespace(teacher_token=TOKEN, public_url=public, host=host, port=5000)
    room = classroom_cli.classroom_for(args, "http://127.0.0.1:5000/")
    assert (room.teacher_base, room.student_base, room.token) == ("http://127.0.0.1:5000/", student_base, TOKEN)


def test_the_token_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(classroom_cli.TOKEN_ENV, "from-the-environment")
    args = argparse.Namespace(teacher_token=None, public_url=None, host="127.0.0.1", port=5000)
    assert classroom_cli.classroom_for(args, "http://127.0.0.1:5000/").token == "from-the-environment"


@pytest.mark.parametrize("loopback,says", [(True, "this machine only"), (False, "any device that can reach")])
def test_the_banner_says_what_is_exposed(classroom, loopback, says):
    args = argparse.Namespace(host="127.0.0.1" if loopback else "0.0.0.0", port=5000)
    text = "\n".join(classroom_cli.banner(args, classroom, loopback, "/data"))
    assert classroom.teacher_url in text and classroom.join_page in text and classroom.join_url in text
    assert f"code: {classroom.code[:3]}-{classroom.code[3:]}" in text and says in text
