"""The worker pool: few tasks run in this process, when asked for; results are the same either way."""
import pytest

from broadsheet.charts import workers


def test_one_worker_runs_each_task_here_when_its_result_is_asked_for():
    compiler = workers.ChartCompiler(1)
    calls = []
    task = compiler.submit(lambda x: calls.append(x) or x * 2, 21)
    assert calls == []
    assert task.result() == 42 and task.result() == 42
    assert calls == [21]
    compiler.close()


def test_fewer_tasks_than_the_pool_needs_start_no_pool():
    compiler = workers.ChartCompiler(2)
    tasks = [compiler.submit(abs, -n) for n in range(workers.ChartCompiler.POOL_MIN - 1)]
    assert compiler._pool is None
    assert [t.result() for t in tasks] == list(range(workers.ChartCompiler.POOL_MIN - 1))
    compiler.close()


def test_a_thread_of_its_own_gives_back_the_result_or_the_exception():
    assert workers.in_a_thread_of_its_own(lambda: "made", "t") == "made"

    def fail():
        raise KeyError("boom")

    with pytest.raises(KeyError):
        workers.in_a_thread_of_its_own(fail, "t")


def test_workers_that_die_are_replaced_and_their_tasks_redone_here():
    """A worker killed under its task (here from outside, as the kernel's OOM killer would) breaks
    the pool: its tasks are redone in this process, never a BrokenProcessPool, and later tasks go
    on."""
    import os
    import signal
    import time

    compiler = workers.ChartCompiler(2)
    tasks = [compiler.submit(time.sleep, 0.2) for _ in range(workers.ChartCompiler.POOL_MIN)]
    assert compiler._pool is not None
    for pid in list(compiler._pool._processes):  # still warming up (the Vega engine starts)
        os.kill(pid, signal.SIGKILL)
    assert [task.result() for task in tasks] == [None] * len(tasks)
    assert compiler._pool is None
    assert compiler.submit(abs, -5).result() == 5
    compiler.close()


def test_the_fork_servers_children_say_nothing_when_their_process_is_gone(monkeypatch, capsys):
    """An interrupted build's last line stays its last: a child of the fork server that finds the
    pipe from its process closed prints no traceback; another exception is printed as before; the
    hook goes only into the fork server."""
    import sys

    from broadsheet.charts import workers

    printed = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, trace: printed.append(kind))
    assert workers.quiet_when_orphaned(("python", "-c", "print(1)")) is False
    assert workers.quiet_when_orphaned(("python", "-c", "from multiprocessing.forkserver import main; main(3, 4)"))
    for kind in (EOFError, BrokenPipeError, ConnectionResetError, ValueError):
        sys.excepthook(kind, kind("x"), None)
    assert printed == [ValueError]


def test_once_the_charts_are_done_the_engines_end_and_cards_go_to_lighter_workers():
    """`charts_done`: the workers that started the Vega engine end (an archive's thousands of cards
    would otherwise keep two idle engines alive); the next card is drawn by a new worker, and is
    the same picture as one drawn here."""
    import os

    from broadsheet.charts import cards

    compiler = workers.ChartCompiler(2)
    tasks = [compiler.submit(abs, -n) for n in range(workers.ChartCompiler.POOL_MIN)]
    assert [t.result() for t in tasks] == list(range(workers.ChartCompiler.POOL_MIN))
    engines = set(compiler._pool._processes)
    assert engines
    compiler.charts_done()
    for pid in engines:  # ended and reaped
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    card = compiler.card("Les chiffres du jour", "Broadsheet", None, "k1").result()  # no cache: its bytes come back
    assert card == cards.social_card("Les chiffres du jour", "Broadsheet", None)
    assert compiler._pool is not None and not engines & set(compiler._pool._processes)
    compiler.close()


def test_a_card_drawn_by_a_worker_is_kept_in_the_cache_and_only_its_size_comes_back(tmp_path):
    """Thousands of cards drawn while the pages render never travel back whole: the worker keeps
    each in this machine's cache (without the remote tier, which the build itself feeds)."""
    from broadsheet.cache import DiskCache
    from broadsheet.charts import cards

    cache = DiskCache(tmp_path / "cache")
    cache.remote = object()  # a worker must never see it: `here()` leaves it out
    compiler = workers.ChartCompiler(2, cache)
    tasks = [compiler.card(f"Titre {n}", "Broadsheet", None, f"key{n}") for n in range(workers.ChartCompiler.POOL_MIN)]
    assert compiler._pool is not None
    sizes = [task.result() for task in tasks]
    compiler.close()
    for n, size in enumerate(sizes):
        expected = cards.social_card(f"Titre {n}", "Broadsheet", None)
        assert size == len(expected) and cache.get("cards", f"key{n}") == expected
