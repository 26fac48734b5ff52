"""A student who joins on a 1024×768 touch tablet, while the teacher steps samples, sees the page from its top."""
from __future__ import annotations

from class_cases import TOKEN


def test_a_tablet_student_who_joins_lands_at_the_top_of_the_page(browser, class_server):
    teacher_ctx = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=class_server.url)
    tablet_ctx = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=False,
                                     base_url=class_server.url)
    try:
        teacher = teacher_ctx.new_page()
        teacher.goto(f"/?preset=letters#teacher={TOKEN}")
        teacher.wait_for_selector('[data-testid="join-screen"]')
        teacher.wait_for_function("() => window.playground.state.snapshot !== null")
        student = tablet_ctx.new_page()
        student.goto(f"/join?code={class_server.code}")
        student.fill('[data-testid="join-name"]', "Tab")
        student.tap('[data-testid="join-submit"]')
        student.wait_for_function("() => window.playground.state.snapshot !== null")
        teacher.click('[data-testid="join-screen-close"]')
        teacher.click('[data-testid="step-sample"]')  # the student follows the four phases, equations included
        student.wait_for_function("() => window.playground.state.phase === 'backward'")
        student.wait_for_function("() => window.playground.state.phase === null")
        assert student.evaluate("() => window.scrollY") == 0
        assert student.is_visible('[data-testid="network"]')
    finally:
        teacher_ctx.close()
        tablet_ctx.close()
