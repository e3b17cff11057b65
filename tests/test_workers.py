"""The background queues: one job at a time per queue, newest-only queues, errors as values, a clean close."""

from __future__ import annotations

import threading

from app.workers import Runner


def test_a_latest_queue_runs_the_running_job_and_then_only_the_newest_waiting_one(qtbot):
    runner = Runner()
    gate = threading.Event()
    ran: list[int] = []
    results: list[object] = []

    def job(n: int):
        def run():
            if n == 0:
                gate.wait(5)
            ran.append(n)
            return n

        return run

    for n in range(4):
        runner.submit("check", job(n), results.append, latest=True)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=5000)
    assert ran == [0, 3]
    assert results == [0, 3]


def test_an_exception_comes_back_as_a_value(qtbot):
    runner = Runner()
    results: list[object] = []
    runner.submit("io", lambda: 1 / 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert isinstance(results[0], ZeroDivisionError)


def test_after_close_no_waiting_job_starts_and_the_running_one_finishes(qtbot):
    runner = Runner()
    gate = threading.Event()
    ran: list[str] = []

    def first():
        gate.wait(5)
        ran.append("first")

    runner.submit("check", first)
    runner.submit("check", lambda: ran.append("queued behind it"))
    threading.Timer(0.2, gate.set).start()
    runner.close(5000)
    assert ran == ["first"]
    qtbot.wait(300)  # the finished signal arrives: it must not start the queued job now
    runner.pool.waitForDone(2000)
    assert ran == ["first"]
    assert runner.pool.activeThreadCount() == 0
