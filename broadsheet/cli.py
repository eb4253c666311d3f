"""The command line: the only place that prints and decides exit codes (house rule 10).

Exit codes: 0 built (or checked) fine, 1 author errors (nothing written), 2 bad usage.
Imports of the engine happen inside the commands so `--help` answers at once.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_AUTHOR, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "serve", "export", "new")
JOBS_PER_CORE = 2  # --jobs is lowered to this many processes a core (BROADSHEET_MAX_JOBS sets another cap)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM: the command stops, removes what it started, exits 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds above 0")
    return value


def _shard(text: str) -> tuple[int, int]:
    number, _, shards = text.partition("/")
    if not (number.isdigit() and shards.isdigit() and 1 <= int(number) <= int(shards)):
        raise argparse.ArgumentTypeError(f"'{text}' is not a shard: write I/N, with I from 1 to N (e.g. 2/8)")
    return int(number), int(shards)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: ports go from 1 to 65535 (0: any free port)")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits with 2 too; keep its words, add our hint
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n  hint: run `{self.prog} --help` for the commands and options",
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _sharding(build) -> None:
    """`build --shard I/N` and `build --assemble PART…` (one or the other)."""
    split = build.add_mutually_exclusive_group()
    split.add_argument("--shard", type=_shard, default=None, metavar="I/N",
                       help="build only the stories of shard I of N (a stable hash of each slug) into --out, a part "
                            "with no site pages; `--assemble` makes the site from the N parts")
    split.add_argument("--assemble", nargs="+", type=Path, default=(), metavar="PART",
                       help="make the site from the parts `--shard` wrote: the home, archive pages, feed and sitemap, "
                            "the parts' stories as they are, swapped into --out at once")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="broadsheet", description="Build data-journalism explainers into a static site.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def common(p):
        p.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
        p.add_argument("--site-src", default="site_src", metavar="DIR", help="templates and static files (default: ./site_src, else the engine's own)")
        p.add_argument("--base-url", default=None, metavar="PATH", help="path the site is served under, e.g. /data/2023/")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors (CI uses it)")
        p.add_argument("--no-cache", action="store_true", help="recompile every chart, ignoring .cache/")
        p.add_argument("--cache-url", default=None, metavar="URL",
                       help="a remote cache shared by machines, speaking Bazel's HTTP cache protocol (bazel-remote, "
                            "nginx with WebDAV): compiled charts and cards are read from it and written to it "
                            "(default: $BROADSHEET_CACHE_URL; none: nothing is sent anywhere)")
        p.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                       help="processes that compile charts (default: one per core; 1 compiles in this process; "
                            f"at most {JOBS_PER_CORE} per core: a larger N is lowered to that, with a note)")
        p.add_argument("--check-external", action="store_true",
                       help="also check links to other sites (skipped, with a note, when there is no network)")
        p.add_argument("--chart-timeout", type=_positive_seconds, default=None, metavar="SECONDS",
                       help="seconds a chart's Python code may run before it is stopped (default: 60)")
        p.add_argument("--chart-memory", type=_positive_int, default=None, metavar="MB",
                       help="megabytes of memory a chart's Python code may take (default: 2048)")

    def drafts(p):
        p.add_argument("--drafts", action="store_true",
                       help="also build stories marked `draft: true` (never listed on the home page, in the feed or "
                            "the sitemap; serve always builds them)")

    build = sub.add_parser("build", help="build the site into --out (the default command)")
    common(build)
    drafts(build)
    build.add_argument("--out", default="_site", metavar="DIR", help="output folder (default: _site)")
    _sharding(build)
    check = sub.add_parser("check", help="read and check everything, write nothing")
    common(check)
    drafts(check)
    for p in (build, check):
        p.add_argument("--published", metavar="DIR",
                       help="the site as published (default: the output folder): a fact whose published value "
                            "changed or that disappeared needs an `updates:` entry naming it")
    serve = sub.add_parser("serve", help="preview at http://127.0.0.1:8000/ with rebuilds and live reload")
    common(serve)
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1; 0.0.0.0 shows the preview, drafts and build "
                            "errors included, to everyone on your network)")
    export = sub.add_parser("export", help="write one story as a single self-contained HTML file")
    common(export)
    drafts(export)
    export.add_argument("story", help="the story's folder name (slug)")
    export.add_argument("file", help="the HTML file to write, e.g. chatgpt.html")
    new = sub.add_parser("new", help="create a story folder from a small template")
    new.add_argument("slug")
    new.add_argument("--content", default="content", metavar="DIR")
    new.add_argument("--language", metavar="CODE",
                     help="the story's language (default: the site's, from site.yaml; fr without one)")
    return parser


GC_YOUNG = 20_000  # allocations between collections of the youngest objects (Python's default: 700).
# A build makes millions of small acyclic objects (an archive's record, its stories' listings): at
# the default, the collector walked them again and again for a quarter of a nothing-changed build.


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    if args.command is None:
        args = make_parser().parse_args(["build"])
    if _bad_cache_url(args):
        print(_bad_cache_url(args), file=sys.stderr)
        return EXIT_USAGE
    import gc

    gc.set_threshold(GC_YOUNG, 50, 50)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new":
        return _new(args)
    import signal

    previous = {signum: signal.signal(signum, _interrupt_build) for signum in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = _catch_swallowed_interruptions()
    try:
        return _build_or_check(args) if args.command in ("build", "check") else _export(args)
    except KeyboardInterrupt as stop:
        signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
        _stopping.append(signum)
        wrote = getattr(stop, "wrote", False)
        print("interrupted: " + ("the new site was already in place" if wrote else "nothing was written"),
              file=sys.stderr)
        _exit_now(signum)  # now: threads the signal cut short (an import, a prefetch) are not waited for
        return 128 + signum
    finally:  # for a caller that runs main() in its own process
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.unraisablehook = previous_hook


def _options(args):
    from .charts import ChartLimits
    from .pipeline import BuildOptions

    project = Path.cwd()
    asked = {"timeout": args.chart_timeout, "memory": args.chart_memory}
    limits = ChartLimits(**{name: value for name, value in asked.items() if value is not None})
    return BuildOptions(project=project, content=Path(args.content), site_src=_site_src(args.site_src),
                        out=Path(getattr(args, "out", "_site")), base_url=args.base_url, strict=args.strict,
                        use_cache=not args.no_cache, check_external=getattr(args, "check_external", False),
                        jobs=1 if args.command == "serve" else _jobs(args.jobs),  # serve: threads and fork do not mix
                        chart_limits=limits,
                        drafts=args.command == "serve" or getattr(args, "drafts", False),
                        reuse=args.command == "build" and not args.no_cache  # unchanged stories kept as written
                        and not getattr(args, "shard", None) and not getattr(args, "assemble", ()),
                        shard=getattr(args, "shard", None), parts=tuple(getattr(args, "assemble", ())),
                        cache_url=_cache_url(args),
                        published=Path(args.published) if getattr(args, "published", None) else None,
                        one_shot=args.command != "serve")


def _site_src(asked: str) -> Path:
    """The templates folder: the one asked for; by default ./site_src, else the engine's own (a
    project outside the clone, made with `new`, builds with the house templates)."""
    chosen = Path(asked)
    own = Path(__file__).resolve().parent.parent / "site_src"
    if asked == "site_src" and not (chosen / "templates").is_dir() and (own / "templates").is_dir():
        return own
    return chosen


def _cache_url(args) -> str:
    """--cache-url, else $BROADSHEET_CACHE_URL (main() has checked it is an address)."""
    import os

    url = args.cache_url if args.cache_url is not None else os.environ.get("BROADSHEET_CACHE_URL", "")
    return url.strip()


def _bad_cache_url(args) -> str:
    """Why the remote cache's address cannot be used, said before any build ('' when it can)."""
    url = _cache_url(args) if hasattr(args, "cache_url") else ""
    if not url:  # no remote cache: its module (and http.client) not even imported
        return ""
    from .remote_cache import BadCacheUrl, RemoteCache

    try:
        RemoteCache(url)
    except BadCacheUrl as exc:
        source = "--cache-url" if args.cache_url is not None else "BROADSHEET_CACHE_URL"
        return f"broadsheet: error: {source}: {exc}\n  hint: write the cache's address, e.g. http://cache.example:8080/"
    return ""


def _jobs(asked: int | None) -> int | None:
    """--jobs, lowered to the cap: more processes than that only share the same cores, each with
    its own memory (a chart worker holds about 150 MB)."""
    import os

    if asked is None:
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    env = os.environ.get("BROADSHEET_MAX_JOBS", "")
    cap = int(env) if env.isdigit() and int(env) > 0 else JOBS_PER_CORE * cores
    if asked > cap:
        print(f"note: --jobs {asked} lowered to {cap} ({JOBS_PER_CORE} per core on {_plural(cores, 'core')}; "
              "BROADSHEET_MAX_JOBS sets another cap)", file=sys.stderr)
        return cap
    return asked


def _seconds_from_env(name: str, default: float) -> float:
    import os

    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value >= 0 else default


def _build_or_check(args) -> int:
    from . import pipeline
    from .diagnostics import BuildFailed, summarize
    from .output import DirWriter, unsafe_output_reason

    started = time.perf_counter()
    options = _options(args)
    if not (options.site_src / "templates").is_dir():
        print(f"broadsheet: error: templates not found in {options.site_src}/templates\n"
              "  hint: run from the project folder, or pass --site-src DIR", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        try:
            result = pipeline.check(options)
        except BuildFailed as failed:
            _print_diagnostics(failed.diagnostics, failed.strict)
            print(summarize(failed.diagnostics, strict=failed.strict, wrote=True).replace(" (nothing was written)", ""),
                  file=sys.stderr)
            return EXIT_AUTHOR
        _print_diagnostics(result.diagnostics, args.strict)
        for note in result.notes:
            print(f"note: {note}")
        print(f"Checked {_plural(result.stories, 'story', 'stories')}, {_plural(result.charts, 'chart')} "
              f"in {time.perf_counter() - started:.2f} s: no errors" +
              (f", {_plural(len(result.diagnostics), 'warning')}" if result.diagnostics else ""))
        return EXIT_OK
    reason = unsafe_output_reason(options.out, options.content, options.project)
    if reason:
        print(f"broadsheet: error: refusing to write to '{options.out}': {reason}\n"
              "  hint: choose an empty or new folder with --out, e.g. --out _site", file=sys.stderr)
        return EXIT_USAGE
    from .output import LOCK_WAIT

    def waiting(who: str) -> None:
        print(f"note: {who} is writing {options.out}/: waiting for it (at most {lock_wait:g} s)", file=sys.stderr)

    lock_wait = _seconds_from_env("BROADSHEET_LOCK_WAIT", LOCK_WAIT)
    writer = DirWriter(options.out, lock_wait=lock_wait, on_wait=waiting)
    try:
        result = pipeline.build(options, writer)
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics, failed.strict)
        print(summarize(failed.diagnostics, strict=failed.strict, wrote=False), file=sys.stderr)
        return EXIT_AUTHOR
    except KeyboardInterrupt as stop:
        stop.wrote = writer.published
        raise
    _print_diagnostics(result.diagnostics, False)
    for note in result.notes:
        print(f"note: {note}")
    cached = result.charts - result.charts_compiled
    print(f"Built {_plural(result.pages, 'page')}, {_plural(result.charts, 'chart')} ({cached} from cache) in "
          f"{time.perf_counter() - started:.2f} s -> {options.out}/")
    return EXIT_OK


def _report_rebuild(seconds: float, snapshot) -> None:
    """One line in the terminal for each rebuild of the preview (its errors first, when it failed)."""
    if snapshot.errors:
        print(snapshot.errors, file=sys.stderr)
        print(f"Build failed in {seconds:.2f} s: still serving the last good version", file=sys.stderr, flush=True)
    else:
        print(f"Rebuilt in {seconds * 1000:.0f} ms", flush=True)  # a log read through a pipe sees it now


def _preview(options):
    """(options, rebuild) of the preview: built into a folder of the project cache, so that the
    stories that did not change are kept as they are (manifest.py) and served from disk; in memory
    with --no-cache, or when the cache folder cannot be used."""
    from dataclasses import replace

    from . import manifest, pipeline
    from .output import DirWriter, FolderFiles, MemoryWriter

    preview = options.cache.folder("preview")
    if preview is None:
        def in_memory(changed_paths=None):
            writer = MemoryWriter()
            pipeline.build(options, writer)
            return writer.files
        return options, in_memory
    options = replace(options, out=preview, reuse=True, watched=manifest.Watched(options.content))

    def on_disk(changed_paths=None):
        """`changed_paths`: what the watcher saw change since the last build (None: the first)."""
        if changed_paths is not None:
            options.watched.saw(changed_paths)
        result = pipeline.build(options, DirWriter(preview))
        options.watched.built()
        return FolderFiles(preview, (item.path for item in result.files))
    return options, on_disk


def _serve(args) -> int:
    """Build into a preview folder in the cache (each rebuild keeps the stories that did not change), serve
    it, rebuild on every change; Ctrl-C stops cleanly. With --no-cache, in memory."""
    import signal
    import threading

    from . import devserver

    options = _options(args)
    if not (options.site_src / "templates").is_dir():
        print(f"broadsheet: error: templates not found in {options.site_src}/templates\n"
              "  hint: run from the project folder, or pass --site-src DIR", file=sys.stderr)
        return EXIT_USAGE

    options, rebuild = _preview(options)

    state = devserver.PreviewState()
    signal.signal(signal.SIGTERM, _interrupt)  # a process manager's stop is a Ctrl-C too
    signal.signal(signal.SIGINT, _interrupt)  # even when started from a shell that ignores Ctrl-C
    try:  # listen first: a port or address that cannot be had is said at once, before any build
        server = devserver.make_server(state, args.host, args.port,
                                       idle_timeout=_seconds_from_env("BROADSHEET_IDLE_TIMEOUT", devserver.IDLE_TIMEOUT),
                                       backlog=int(_seconds_from_env("BROADSHEET_BACKLOG", devserver.BACKLOG)),
                                       on_error=lambda text: print(f"broadsheet: {text}", file=sys.stderr))
    except KeyboardInterrupt:
        print("Stopped.")
        return EXIT_OK
    except OSError as exc:
        print(f"broadsheet: error: {_listen_problem(exc, args.host, args.port)}", file=sys.stderr)
        return EXIT_USAGE
    stop = threading.Event()
    try:  # listening for edits before the first build: one made during it, or just after `Serving`, is seen
        changes = devserver.open_watch([options.content, options.site_src], stop)
        _report_rebuild(devserver.run_build(state, rebuild, devserver.error_page_text), state.snapshot)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="preview-http",
                         daemon=True).start()
        print(f"Serving {devserver.address_url(args.host, server.server_address[1])} ; watching {options.content} "
              f"and {options.site_src} (Ctrl-C to stop)", flush=True)
        from . import story  # noqa: F401 - a build that took every story as it was did not load the reader: the first edit needs it
        devserver.watch_and_rebuild(state, changes, rebuild, devserver.error_page_text, _report_rebuild)
    except KeyboardInterrupt:
        pass
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # stopping is not itself interrupted
            signal.signal(signum, signal.SIG_IGN)
        stop.set()
        state.stopping = True
        state.publish(state.snapshot)
        server.shutdown()
        server.server_close()
    print("Stopped.")
    return EXIT_OK


def _export(args) -> int:
    """Build in memory, then inline the story page into one file that works from disk."""
    import os
    import tempfile

    from . import export, pipeline
    from .diagnostics import BuildFailed, did_you_mean, summarize
    from .output import MemoryWriter, write_failed

    options = _options(args)
    target = Path(args.file)
    for place in (target, *target.parents):  # said before building, not after
        if place.exists():
            if place == target and place.is_dir():
                print(f"broadsheet: error: '{target}' is a folder: export writes one file\n"
                      f"  hint: name the file, e.g. {target / (args.story + '.html')}", file=sys.stderr)
                return EXIT_USAGE
            if place != target and not place.is_dir():
                print(f"broadsheet: error: cannot write '{target}': '{place}' is a file, not a folder\n"
                      "  hint: name a file in a folder", file=sys.stderr)
                return EXIT_USAGE
            break
    writer = MemoryWriter()
    try:
        result = pipeline.build(options, writer)
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics, failed.strict)
        print(summarize(failed.diagnostics, strict=failed.strict, wrote=False), file=sys.stderr)
        return EXIT_AUTHOR
    slugs = sorted(path.split("/")[0] for path in writer.files if path.count("/") == 1 and path.endswith("/index.html"))
    if args.story not in slugs:
        draft = any(note.startswith(f"{args.story}/ is a draft") or f"/{args.story}/ is a draft" in note
                    for note in result.notes)
        hint = (f"'{args.story}' is a draft: add --drafts to export it" if draft else
                f"{did_you_mean(args.story, slugs)}stories are {', '.join(slugs) or 'none'}")
        print(f"broadsheet: error: no story '{args.story}'\n  hint: {hint}", file=sys.stderr)
        return EXIT_USAGE
    _print_diagnostics(result.diagnostics, False)
    page = export.single_file(writer.files, args.story, result.absolute_url)
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        failed = write_failed(exc, target, "choose another place for the file", "nothing was written")
        _print_diagnostics((failed,), False)
        return EXIT_AUTHOR
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
    print(f"Exported {args.story} -> {target} ({len(page) / 1024:.0f} KB, works offline)")
    return EXIT_OK


_stopping: list[int] = []  # set once the command is cleaning up after a signal
_signalled: list[int] = []
STOP_WITHIN = 20.0  # seconds an interrupted build has to clean up before it exits regardless


def _interrupt(signum, frame):
    raise Interrupted(signum)


def _interrupt_build(signum, frame):
    """SIGINT or SIGTERM of build, check or export: raise once (the finally blocks remove the
    staging folder), and make sure the process ends even if the cleaning up hangs (a signal that
    landed inside an import can leave another thread waiting on its lock for ever)."""
    if _stopping or _signalled:  # what the stop cleans up is not cut short
        return
    _signalled.append(signum)
    import threading

    timer = threading.Timer(STOP_WITHIN, _exit_now, args=(signum,))
    timer.daemon = True
    timer.start()
    raise Interrupted(signum)


def _exit_now(signum: int) -> None:
    import os

    if not _stopping:
        print("interrupted: nothing was written", file=sys.stderr)
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(128 + signum)


def _catch_swallowed_interruptions():
    """A signal's exception can land where Python ignores exceptions (a weak-reference callback,
    `__del__`): it is printed as "Exception ignored" and the build would go on. Raise it again,
    at the next instruction of the main thread, instead."""
    import _thread

    previous = sys.unraisablehook

    def hook(unraisable):
        if isinstance(unraisable.exc_value, Interrupted) and not _stopping:
            _signalled.clear()  # raised again, as the first time
            _thread.interrupt_main(unraisable.exc_value.signum)
            return
        previous(unraisable)

    sys.unraisablehook = hook
    return previous


def _listen_problem(exc: OSError, host: str, port: int) -> str:
    """Why the preview cannot listen there, and what to do, as the message and its hint."""
    import errno
    import socket

    if isinstance(exc, socket.gaierror):
        return (f"cannot listen on '{host}': no address of that name ({exc.strerror})\n"
                "  hint: use an address of this machine: --host 127.0.0.1 (this machine only), --host ::1, "
                "or --host 0.0.0.0 (your network)")
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} is already in use on {host}\n"
                f"  hint: stop the other server, or choose another port: --port {port + 1 if port < 65535 else 8000}")
    if exc.errno == errno.EADDRNOTAVAIL:
        return (f"'{host}' is not an address of this machine\n"
                "  hint: use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (your network)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"port {port} needs privileges this user does not have\n  hint: choose a port above 1023: --port 8000"
    if exc.errno == errno.EAFNOSUPPORT:
        return f"this machine cannot listen on '{host}': {exc.strerror}\n  hint: use --host 127.0.0.1"
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}\n  hint: try --host 127.0.0.1 --port 8000"


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _print_diagnostics(diagnostics, strict: bool) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.render(strict=strict), file=sys.stderr)


def _new(args) -> int:
    import re
    from datetime import date

    folder = Path(args.content) / args.slug
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", args.slug):
        print(f"broadsheet: error: '{args.slug}' is not a valid slug\n  hint: use lowercase letters, digits and "
              "hyphens", file=sys.stderr)
        return EXIT_USAGE
    if folder.exists():
        print(f"broadsheet: error: {folder} already exists\n  hint: choose another slug", file=sys.stderr)
        return EXIT_USAGE
    language, problem = _new_language(args)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from .starter import write_site_yaml, write_starter

    write_starter(folder, language, date.today())
    site_yaml = Path(args.content) / "site.yaml"
    if not site_yaml.exists():  # a first story: the project's settings too, to fill in
        write_site_yaml(site_yaml, language)
        print(f"Created {site_yaml}: give the site its title, newsroom and absolute_url")
    print(f"Created {folder}/ as a draft: edit index.md, sections/ and facts.yaml and preview with `python build.py serve`; "
          "remove `draft: true` from index.md to publish it")
    return EXIT_OK


def _new_language(args) -> tuple[str, str]:
    """(the language `new` writes in, or a usage problem): --language, else site.yaml's, else fr."""
    from . import i18n, yamlmap

    language = args.language
    if language is None:
        site_yaml = Path(args.content) / "site.yaml"
        data = yamlmap.load(site_yaml.read_text("utf-8"), str(site_yaml)).data if site_yaml.is_file() else None
        language = str(data.get("language") or "fr") if isinstance(data, dict) else "fr"
    if not i18n.is_known_language(language):
        return language, (f"broadsheet: error: unknown language '{language}'\n  hint: use a language code such as "
                          "en, fr, de, ar (the site's is the `language:` of content/site.yaml)")
    return language, ""


if __name__ == "__main__":
    sys.exit(main())
