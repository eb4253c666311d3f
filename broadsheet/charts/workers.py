"""The worker pool: compiling charts and drawing cards for a whole build, in this process when there
are few, else in worker processes. The only module of the chart package that knows about
processes and threads.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..cache import NoCache
from . import cards, drawing, sources
from .compiler import ChartJob, compile_job


class Task:
    """A piece of work handed to the compiler: it runs in a worker, or in this process when its
    result is asked for before any worker was started."""

    def __init__(self, function, argument, owner=None):
        self.function, self.argument, self.owner = function, argument, owner
        self.future = None
        self.value: Any = None
        self.done = False

    def result(self):
        if self.future is None and self.owner is not None:
            self.owner.hand_over()  # workers still starting: wait for them rather than work here
        if self.future is not None:
            return self.future.result()
        if not self.done:
            self.value, self.done = self.function(self.argument), True
        return self.value


class ChartCompiler:
    """Compiles charts (and draws social cards) for a whole build: in this process when there are
    few, else in a pool of worker processes started once, on the third task, and kept to the end.

    Tasks are handed over as soon as they are known, story by story, so the workers compile while
    this process reads the next stories; results are collected afterwards, in order."""

    POOL_MIN = 3  # tasks waiting before starting workers pays: the fork server imports the engine and
    #               Altair, each worker starts the Vega engine; this process would pay Altair and the
    #               engine once, then a little per chart (bench/run.py measures both)

    def __init__(self, workers: int | None = None, cache=NoCache()):
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.cache = cache  # the build's: each worker's engine reads its bundle and text widths there
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[Task] = []
        self._starting: threading.Thread | None = None  # start_early's, while the workers start
        self._held: list[Task] = []  # tasks waiting for those workers
        self.compiled = 0

    def compile(self, job: ChartJob) -> Task:
        self.compiled += 1
        return self.submit(compile_job, job)

    def card(self, headline: str, site_name: str, svg: str | None) -> Task:
        return self.submit(draw_card, (headline, site_name, svg))

    def submit(self, function, argument) -> Task:
        if self._starting is not None and self._starting.is_alive():
            task = Task(function, argument, self)
            self._held.append(task)  # handed over once the workers exist, not to block this process
            return task
        task = Task(function, argument)
        if self._pool is not None:
            self.hand_over()
            task.future = self._pool.submit(function, argument)
            return task
        self._waiting = [t for t in self._waiting if not t.done]
        self._waiting.append(task)
        if self.workers > 1 and len(self._waiting) >= self.POOL_MIN:
            self._start()
        return task

    def start_early(self) -> None:
        """Start the workers now, before any chart is known: for a build that will compile every
        chart (no compiled chart in the cache), so that the workers' start (the fork server's
        imports, vl-convert) overlaps this process reading the stories. Starting a
        worker waits for the fork server: that waiting happens in a thread of its own."""
        if self.workers > 1 and self._pool is None:
            if can_fork():  # a fresh single-threaded process: workers are copies of it, started at once
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=_warm_up, initargs=(self.cache,))
                for _ in range(self.workers):
                    self._pool.submit(int)
                return
            self._start()
            pool = self._pool

            def spawn() -> None:
                for _ in range(self.workers):  # one empty task each, so that every worker starts now
                    pool.submit(int)

            self._starting = threading.Thread(target=spawn, name="chart-workers", daemon=True)
            self._starting.start()

    def hand_over(self) -> None:
        """Give the pool the tasks held while its workers started."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        held, self._held = self._held, []
        for task in held:
            task.future = self._pool.submit(task.function, task.argument)

    def _start(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=forkserver(), initializer=_warm_up,
                                         initargs=(self.cache,))
        for task in self._waiting:
            task.future = self._pool.submit(task.function, task.argument)
        self._waiting = []

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def can_fork() -> bool:
    """Whether workers may be plain copies of this process (fork): on Linux, while it runs no other
    thread and has started neither JavaScript engine (a copy of a running V8 or vl-convert runtime
    deadlocks). A cold build starts its workers first thing, so it qualifies; the preview server,
    with its threads, does not. Forking saves the fork server's start, and the two
    workers import Altair side by side."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and not any(name in sys.modules for name in ("py_mini_racer", "vl_convert", "vegafusion")))


def forkserver():
    """The way worker processes start. Forkserver, not fork: this process may already run
    vl-convert's threads, and a forked copy of a running runtime deadlocks. The server starts
    clean, with the engine and Altair imported once, and each worker is a fork of it (their pages
    shared); the Vega engine (V8) is started in each worker."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["broadsheet.charts.workers", "altair"])
    return context


def _warm_up(cache) -> None:
    """A worker's first moments: what every chart needs, loaded before the first chart arrives."""

    sources.warm_up()
    drawing.warm_up(sources.vegalite_version(), cache)


def draw_card(arguments: tuple[str, str, str | None]) -> bytes:
    return cards.social_card(*arguments)


def runtime_elsewhere():
    """Start bundling the page's chart runtime in a process of its own: (executor, future)."""
    from .runtime import vega_runtime

    executor = ProcessPoolExecutor(max_workers=1, mp_context=forkserver())
    return executor, executor.submit(vega_runtime)


def in_a_thread_of_its_own(function, name: str):
    """`function()` called in a new thread, which runs no event loop: its result, or its exception."""
    made: list = []

    def call() -> None:
        try:
            made.append(function())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            made.append(exc)

    thread = threading.Thread(target=call, name=name)
    thread.start()
    thread.join()
    if isinstance(made[0], BaseException):
        raise made[0]
    return made[0]
