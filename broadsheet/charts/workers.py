"""The worker pool: compiling charts and drawing cards for a whole build, in this process when there
are few, else in worker processes; and the sandbox where a chart's own Python code runs, contained
(its exits, crashes, endless loops and hunger for memory end the sandbox, never the build). The
only module of the chart package that knows about processes, threads and signals.
"""
from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import os
import resource
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from ..cache import NoCache
from ..diagnostics import Diagnostic, SourceLocation, error
if TYPE_CHECKING:
    from .compiler import ChartJob

# The compiler, the drawing and the cards are imported where they are used (and preloaded by the
# fork server): a build that takes every story as it was makes a ChartCompiler and never loads them.


@dataclass(frozen=True)
class ChartLimits:
    """What a chart's Python code may take: seconds (each time it runs, once per layout) and
    megabytes of memory beyond what its process held before it ran (RLIMIT_DATA, not RLIMIT_AS:
    address-space limits abort the JavaScript engine, which reserves far more than it uses)."""

    timeout: float = 60.0  # --chart-timeout
    memory: int = 2048  # --chart-memory, MB


class Task:
    """A piece of work handed to the compiler: it runs in a worker, or in this process when its
    result is asked for before any worker was started (or when its worker died under it)."""

    def __init__(self, function, argument, owner, held: bool = False):
        self.function, self.argument, self.owner = function, argument, owner
        self.held = held  # waiting for workers that are still starting
        self.future = None
        self.value: Any = None
        self.done = False

    def result(self):
        if self.held:
            self.owner.hand_over()  # workers still starting: wait for them rather than work here
        if self.future is not None:
            try:
                return self.future.result()
            except BrokenProcessPool:  # a worker died (killed, or a crash outside chart code): redo it here
                self.owner.replace_pool()
                self.future = None
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

    def __init__(self, workers: int | None = None, cache=NoCache(), limits: ChartLimits = ChartLimits()):
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.cache = cache  # the build's: each worker's engine reads its bundle and text widths there
        self.limits = limits
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[Task] = []
        self._starting: threading.Thread | None = None  # start_early's, while the workers start
        self._held: list[Task] = []  # tasks waiting for those workers
        self.compiled = 0

    def compile(self, job: ChartJob) -> Task:
        self.compiled += 1
        return self.submit(compile_contained, (job, self.limits))

    def card(self, headline: str, site_name: str, svg: str | None, key: str) -> Task:
        """A story's card, drawn by a worker that keeps it in this machine's cache under `key`:
        the task's result is its size, or its bytes when the cache could not keep them (thousands
        of cards drawn while the pages are rendered are never all in this process's memory)."""
        return self.submit(draw_card, (headline, site_name, svg, key, self.cache.here()))

    def charts_done(self) -> None:
        """No chart is coming any more, only cards: the workers that started the Vega engine (and
        their chart sandboxes) end now, and cards go to new workers, started when the first card
        comes, that start neither: a card needs only vl-convert's rasterizer, and the same function
        draws it. An archive's cold build renders its pages and draws thousands of cards after its
        last chart; two idle engines would hold most of its memory meanwhile."""
        if self._pool is None:
            return
        self.hand_over()
        self._pool.shutdown(wait=True)  # nothing left in it: every chart was collected by `load`
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=forkserver(), initializer=follow_parent,
                                         initargs=(os.getpid(),))

    def submit(self, function, argument) -> Task:
        if self._starting is not None and self._starting.is_alive():
            task = Task(function, argument, self, held=True)
            self._held.append(task)  # handed over once the workers exist, not to block this process
            return task
        task = Task(function, argument, self)
        if self._pool is not None:
            self.hand_over()
            try:
                task.future = self._pool.submit(function, argument)
                return task
            except BrokenProcessPool:  # a worker died: later tasks go to new workers
                self.replace_pool()
        self._waiting = [t for t in self._waiting if not t.done]
        self._waiting.append(task)
        if self.workers > 1 and len(self._waiting) >= self.POOL_MIN:
            self._start()
        return task

    def start_early(self) -> None:
        """Start the workers now, before any chart is known: for a build that will compile every
        chart (no compiled chart in the cache), so that the workers' start (the fork server's
        imports, vl-convert) overlaps this process reading the stories. Starting a
        worker waits for the fork server: that waiting happens in a thread of its own. With one
        job, this process's chart sandbox is started now: a copy of this process when it runs no
        other thread (Altair imported once, for both), else from the fork server, in a thread."""
        if self.workers == 1 and threading.active_count() == 1:
            SANDBOX.start(self.limits)
        elif self.workers == 1:
            threading.Thread(target=SANDBOX.start, args=(self.limits,), name="chart-sandbox", daemon=True).start()
        if self.workers > 1 and self._pool is None:
            if can_fork():  # a fresh single-threaded process: workers are copies of it, started at once
                from . import cards, compiler  # noqa: F401 - imported once, here, before the copies are made
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=_warm_up, initargs=(self.cache, self.limits, os.getpid()))
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
            task.held = False
            if self._pool is None:
                continue  # the workers died while they started: done in this process when asked
            try:
                task.future = self._pool.submit(task.function, task.argument)
            except BrokenProcessPool:
                self.replace_pool()

    def _start(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=forkserver(), initializer=_warm_up,
                                         initargs=(self.cache, self.limits, os.getpid()))
        for task in self._waiting:
            task.future = self._pool.submit(task.function, task.argument)
        self._waiting = []

    def replace_pool(self) -> None:
        """Drop a pool whose worker died: its other tasks are redone in this process, later ones
        go to new workers."""
        if self._pool is not None:
            end_pool(self._pool)
            self._pool = None

    def close(self, kill: bool = False) -> None:
        """Wait for the workers to finish and end them; with `kill` (the build was interrupted),
        end them and this process's chart sandbox at once."""
        if kill:
            if self._pool is not None:
                end_pool(self._pool)
                self._pool = None
            SANDBOX.stop()
            end_forkserver()
            return
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def end_forkserver() -> None:
    """End this process's fork server now. It would end by itself once its last child is gone,
    but only after the imports it may still be doing (a second or two)."""
    from multiprocessing import forkserver as server

    pid = getattr(getattr(server, "_forkserver", None), "_forkserver_pid", None)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass  # gone already


def end_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool's worker processes now (SIGKILL): nothing they hold is worth waiting for."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):
            pass  # already gone
    pool.shutdown(wait=False, cancel_futures=True)


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
    context.set_forkserver_preload(["broadsheet.charts.workers", "broadsheet.charts.compiler",
                                     "broadsheet.charts.cards", "altair"])
    if QUIET_TRACKER not in sys.warnoptions:  # read when multiprocessing starts its resource tracker
        sys.warnoptions.append(QUIET_TRACKER)
    return context


# An interrupted build ends its workers at once and exits without closing their queues: the resource
# tracker then removes the queues' semaphores, as it should, but warns about each on the build's
# stderr, after its one line. The warning names no mistake of the author's: it is silenced there.
QUIET_TRACKER = "ignore:resource_tracker:UserWarning"

# The fork server imports this module (its preload). A child it forks for a process whose build was
# just interrupted finds the pipe from that process closed, and the server's child would print the
# EOFError's traceback on the build's stderr, after its one line: no mistake of the author's.
_PARENT_GONE = (EOFError, BrokenPipeError, ConnectionResetError)


def quiet_when_orphaned(argv: tuple = tuple(getattr(sys, "orig_argv", ()))) -> bool:
    """In the fork server only: its children say nothing when the process they were started for is
    gone; any other exception is printed as before. Whether the hook was installed."""
    if "from multiprocessing.forkserver import main" not in " ".join(argv):
        return False
    shown = sys.excepthook

    def hook(kind, value, trace):
        if not issubclass(kind, _PARENT_GONE):
            shown(kind, value, trace)

    sys.excepthook = hook
    return True


quiet_when_orphaned()


def _warm_up(cache, limits: ChartLimits = ChartLimits(), owner: int = 0) -> None:
    """A worker's first moments: it follows the build (ends when the build ends, however it ends),
    leaves Ctrl-C to the build, and loads what every chart needs before the first chart arrives,
    its chart sandbox started first (a copy of this process before the Vega engine runs)."""
    from . import drawing, sources

    IN_WORKER.append(True)
    follow_parent(owner)
    sources.warm_up()
    SANDBOX.start(limits)
    drawing.warm_up(sources.vegalite_version(), cache)


def draw_card(arguments: tuple) -> int | bytes:
    from . import cards

    headline, site_name, svg, key, cache = arguments
    card = cards.social_card(headline, site_name, svg)
    return len(card) if cache.put("cards", key, card) else card


def runtime_elsewhere():
    """Start bundling the page's chart runtime in a process of its own: (executor, future)."""
    from .runtime import vega_runtime

    executor = ProcessPoolExecutor(max_workers=1, mp_context=forkserver(), initializer=follow_parent,
                                   initargs=(os.getpid(),))
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


# -- the chart sandbox: a chart's Python code, contained -------------------------------------------

def compile_contained(arguments: tuple[ChartJob, ChartLimits]):
    """compile_job, with a Python chart's code run in this process's sandbox (a worker's or the
    build's own) under the build's limits."""
    job, limits = arguments
    from .compiler import compile_job

    return compile_job(job, lambda job, layout, datasets, facts: SANDBOX.run(job, layout, datasets, limits))


class _StoryTable(NamedTuple):
    """A story CSV in a ChartDefinition's `large`, by its stem: the process that asked for the
    chart has the same table, so its rows do not travel back."""

    stem: str


class ChartSandbox:
    """The process where a chart's Python code runs, one chart at a time, for the process that
    owns it (the build, or a worker). Chart code is the newsroom's own, but it may exit, crash, loop
    or eat memory: that ends the sandbox, never its owner, and is said as a diagnostic naming the
    chart; the next chart gets a new sandbox. Kept between the preview's rebuilds."""

    def __init__(self):
        self.process = None
        self.connection = None
        self.limits: ChartLimits | None = None
        self.faults = None  # pipe where faulthandler writes the Python stack of a crash
        self.lock = threading.RLock()  # one chart at a time; start() may be called from another thread

    def start(self, limits: ChartLimits) -> None:
        with self.lock:
            if self.process is not None and self.process.is_alive() and self.limits == limits:
                return
            self._start(limits)

    def _start(self, limits: ChartLimits) -> None:
        self.stop()
        context = _sandbox_context()
        ours, theirs = context.Pipe()
        self.faults, faults = context.Pipe(duplex=False)
        self.process = context.Process(target=_sandbox_main, args=(theirs, limits.memory, faults, os.getpid()),
                                       name="chart-sandbox", daemon=True)
        self.process.start()
        theirs.close()
        faults.close()
        self.connection, self.limits = ours, limits

    def stop(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            self.connection.close()
            self.faults.close()
            self.process = self.connection = self.faults = None

    def run(self, job: ChartJob, layout, datasets, limits: ChartLimits):
        """(definition, problems) of a Python chart run for one layout, like sources.run_python_chart."""
        with self.lock:
            self.start(limits)
            try:
                self.connection.send((job, layout))
                if not self.connection.poll(limits.timeout):
                    os.kill(self.process.pid, signal.SIGUSR1)  # faulthandler writes where the code is
                    line = self._stack_line(job.abs_path, wait=1.0)
                    self.stop()
                    return None, [_timed_out(job, limits, line)]
                definition, problems = self.connection.recv()
            except (EOFError, OSError):  # the sandbox died under the chart
                return None, [self._crashed(job)]
            if any(problem.code == "chart-memory" for problem in problems):
                self.stop()  # a fresh process for the next chart, not one left fragmented
        if definition is not None and definition.large:
            definition = replace(definition, large={name: datasets[table.stem] if isinstance(table, _StoryTable)
                                                    else table for name, table in definition.large.items()})
        return definition, problems

    def _stack_line(self, abs_path: str, wait: float = 0.0) -> int:
        """The line of the chart file in the stack faulthandler wrote (most recent call first), or 0."""
        stack = b""
        while self.faults.poll(wait if not stack else 0.1):  # a stack comes in a few writes
            try:
                chunk = os.read(self.faults.fileno(), 65536)
            except OSError:
                break
            if not chunk:
                break
            stack += chunk
        for text in stack.decode("utf-8", "replace").splitlines():
            if text.strip().startswith(f'File "{abs_path}", line '):
                return int(text.split(", line ")[1].split()[0])
        return 0

    def _crashed(self, job: ChartJob) -> Diagnostic:
        self.process.join(5)
        code = self.process.exitcode
        line = self._stack_line(job.abs_path)
        self.stop()
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
            how = f"crashed the process running it ({name})"
            hint = ("a crash comes from native code the chart calls (ctypes, a C extension): "
                    "remove that call, or run it outside the build")
        else:
            how = f"ended the process running it (exit status {code})"
            hint = "a chart must return a chart: remove the call that exits (os._exit, os.kill, …)"
        return error("chart-crashed", f"chart '{job.chart_id}' {how}", SourceLocation(job.rel_path, line or 1),
                     hint)


def _timed_out(job: ChartJob, limits: ChartLimits, line: int) -> Diagnostic:
    return error("chart-timeout", f"chart '{job.chart_id}' ran for more than {limits.timeout:g} s and was stopped",
                 SourceLocation(job.rel_path, line or 1),
                 "look for a loop that never ends in the chart file (at module level or in chart()); "
                 "a chart that needs longer can have it: --chart-timeout SECONDS")


def _sandbox_context():
    """How the sandbox starts: a copy of this process (fork: quick, Altair already imported) when
    it runs no other thread, else from the fork server (a copy of a process with threads may
    find a lock held for ever; a worker's one other thread, watching the build, holds none). A
    sandbox only runs Python, never the JavaScript engines."""
    if sys.platform.startswith("linux") and (IN_WORKER or threading.active_count() == 1):
        from . import sources

        sources.warm_up()  # imported once, here, for both
        return multiprocessing.get_context("fork")
    return forkserver()


def _sandbox_main(connection, memory: int, faults, owner: int) -> None:
    """The sandbox's loop: a job and a layout in, (definition, problems) out, until its owner goes."""
    from . import sources
    from .compiler import job_inputs, run_here

    follow_parent(owner)
    faulthandler.enable(faults.fileno())  # a crash's Python stack, for its line in the chart file
    faulthandler.register(signal.SIGUSR1, faults.fileno())  # and where it runs when it overstays
    _limit_memory(memory)
    exit_now = _EXIT

    def exit_called(status=0):
        raise sources.ExitCalled(f"os._exit({status})")

    os._exit = exit_called  # chart code's os._exit becomes an exception, with its line
    while True:
        try:
            job, layout = connection.recv()
        except (EOFError, OSError):
            exit_now(0)
        datasets, fact_set = job_inputs(job)
        try:
            definition, problems = run_here(job, layout, datasets, fact_set)
        except BaseException as exc:  # noqa: BLE001 - whatever the chart did, said as a diagnostic
            definition, problems = None, [sources.code_failed(exc, job.chart_id, job.rel_path, job.abs_path)]
        if definition is not None and definition.large:
            stems = {sources.data_name(stem): stem for stem in datasets}
            definition = replace(definition, large={name: _StoryTable(stems[name]) if name in stems else table
                                                    for name, table in definition.large.items()})
        try:
            connection.send_bytes(_answer(job, definition, problems))
        except BaseException:  # noqa: BLE001 - the chart closed or broke the pipe: its owner says chart-crashed
            exit_now(70)


def _answer(job: ChartJob, definition, problems) -> bytes:
    """(definition, problems) pickled for the sandbox's owner; a chart whose values cannot be is a
    problem of its own."""
    from multiprocessing.reduction import ForkingPickler

    try:
        return bytes(ForkingPickler.dumps((definition, problems)))
    except Exception as exc:  # noqa: BLE001 - values made by the chart's code: said, not raised
        problem = error("chart-invalid", f"chart '{job.chart_id}' holds values that cannot leave the process "
                        f"running it ({type(exc).__name__})", SourceLocation(job.rel_path, 1),
                        "give the chart plain values: numbers, text, dates, lists and dicts of them")
        return bytes(ForkingPickler.dumps((None, [problem])))


def _limit_memory(megabytes: int) -> None:
    """RLIMIT_DATA at what this process holds now plus `megabytes`: past it an allocation fails,
    which Python raises as MemoryError (said as chart-memory)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            held = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError):
        held = 0
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = held + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def follow_parent(owner: int = 0) -> None:
    """Make this process (a worker, a sandbox, the runtime's bundler) end when the process it works
    for ends, even by SIGKILL, and leave Ctrl-C and SIGTERM to that process, which ends its workers
    itself. Its parent: Linux's parent-death signal. `owner`, when the fork server started this
    process (its parent is then the server, which lives as long as any of its children): a
    thread waits for the owner's end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        owner = owner or parent
    if owner and owner != parent:
        threading.Thread(target=_watch_owner, args=(owner,), name="watch-owner", daemon=True).start()
    elif os.getppid() != parent:  # the parent went before the signal was set
        _EXIT(0)


def _watch_owner(owner: int) -> None:
    """End this process when `owner` ends: a pidfd becomes readable then (Linux 5.3); elsewhere, ask."""
    import select
    import time

    try:
        select.select([os.pidfd_open(owner)], [], [])
    except (AttributeError, OSError):  # no pidfd: ask every 200 ms
        try:
            while True:
                os.kill(owner, 0)
                time.sleep(0.2)
        except ProcessLookupError:
            pass
        except PermissionError:
            return  # not ours to watch
    _EXIT(0)


_EXIT = os._exit  # the real one: the sandbox gives chart code another


SANDBOX = ChartSandbox()  # this process's: the build's, or a worker's
IN_WORKER: list[bool] = []  # [True] in a worker process


def _guard_forkserver() -> None:
    """In the fork server (this module is its first preload): the server ends as soon as the build
    that started it ends, even by SIGKILL, and with it every process it started (their
    parent-death signal), even one busy in native code that would not see its owner go. Left to
    itself the server would live while any of them does."""
    server = sys.modules.get("multiprocessing.forkserver")
    frame = sys._getframe()
    while server is not None and frame is not None:
        if frame.f_code is server.main.__code__:
            threading.Thread(target=_watch_owner, args=(os.getppid(),), name="watch-owner", daemon=True).start()
            return
        frame = frame.f_back


_guard_forkserver()
