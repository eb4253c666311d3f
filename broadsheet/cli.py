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


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits with 2 too; keep its words, add our hint
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\n  hint: run `{self.prog} --help` for the commands and options",
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="broadsheet", description="Build data-journalism explainers into a static site.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def common(p):
        p.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
        p.add_argument("--site-src", default="site_src", metavar="DIR", help="templates and static files (default: site_src)")
        p.add_argument("--base-url", default=None, metavar="PATH", help="path the site is served under, e.g. /data/2023/")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors (CI uses it)")
        p.add_argument("--no-cache", action="store_true", help="recompile every chart, ignoring .cache/")
        p.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="processes that compile charts (default: one per core; 1 compiles in this process)")
        p.add_argument("--check-external", action="store_true",
                       help="also check links to other sites (skipped, with a note, when there is no network)")

    build = sub.add_parser("build", help="build the site into --out (the default command)")
    common(build)
    build.add_argument("--out", default="_site", metavar="DIR", help="output folder (default: _site)")
    check = sub.add_parser("check", help="read and check everything, write nothing")
    common(check)
    serve = sub.add_parser("serve", help="preview at http://127.0.0.1:8000/ with rebuilds and live reload")
    common(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1; 0.0.0.0 shows the preview to your network)")
    export = sub.add_parser("export", help="write one story as a single self-contained HTML file")
    common(export)
    export.add_argument("story", help="the story's folder name (slug)")
    export.add_argument("file", help="the HTML file to write, e.g. chatgpt.html")
    new = sub.add_parser("new", help="create a story folder from a small template")
    new.add_argument("slug")
    new.add_argument("--content", default="content", metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    if args.command is None:
        args = make_parser().parse_args(["build"])
    if args.command in ("build", "check"):
        return _build_or_check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "export":
        return _export(args)
    return _new(args)


def _options(args):
    from .pipeline import BuildOptions

    project = Path.cwd()
    return BuildOptions(project=project, content=Path(args.content), site_src=Path(args.site_src),
                        out=Path(getattr(args, "out", "_site")), base_url=args.base_url, strict=args.strict,
                        use_cache=not args.no_cache, check_external=getattr(args, "check_external", False),
                        jobs=1 if args.command == "serve" else args.jobs)  # serve: threads and fork do not mix


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
    try:
        result = pipeline.build(options, DirWriter(options.out))
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics, failed.strict)
        print(summarize(failed.diagnostics, strict=failed.strict, wrote=False), file=sys.stderr)
        return EXIT_AUTHOR
    _print_diagnostics(result.diagnostics, False)
    for note in result.notes:
        print(f"note: {note}")
    cached = result.charts - result.charts_compiled
    print(f"Built {_plural(result.pages, 'page')}, {_plural(result.charts, 'chart')} ({cached} from cache) in "
          f"{time.perf_counter() - started:.2f} s -> {options.out}/")
    return EXIT_OK


def _serve(args) -> int:
    """Build into memory, serve it, rebuild on every change; Ctrl-C stops cleanly."""
    import errno
    import signal
    import threading

    from . import devserver, pipeline
    from .output import MemoryWriter

    options = _options(args)
    if not (options.site_src / "templates").is_dir():
        print(f"broadsheet: error: templates not found in {options.site_src}/templates\n"
              "  hint: run from the project folder, or pass --site-src DIR", file=sys.stderr)
        return EXIT_USAGE

    def rebuild():
        writer = MemoryWriter()
        pipeline.build(options, writer)
        return writer.files

    def report(seconds: float, snapshot) -> None:
        if snapshot.errors:
            print(snapshot.errors, file=sys.stderr)
            print(f"Build failed in {seconds:.2f} s: still serving the last good version", file=sys.stderr)
        else:
            print(f"Rebuilt in {seconds * 1000:.0f} ms")

    state = devserver.PreviewState()
    report(devserver.run_build(state, rebuild, devserver.error_page_text), state.snapshot)
    try:
        server = devserver.make_server(state, args.host, args.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"broadsheet: error: port {args.port} is already in use on {args.host}\n"
                  f"  hint: stop the other server, or choose another port: --port {args.port + 1}", file=sys.stderr)
            return EXIT_USAGE
        raise
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="preview-http",
                     daemon=True).start()
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"Serving http://{host}:{server.server_address[1]}/ ; watching {options.content} and {options.site_src} "
          "(Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # a process manager's stop is a Ctrl-C too
    signal.signal(signal.SIGINT, _interrupt)  # even when started from a shell that ignores Ctrl-C
    try:
        devserver.watch_and_rebuild(state, [options.content, options.site_src], rebuild, devserver.error_page_text,
                                    report, stop)
    except KeyboardInterrupt:
        pass
    finally:
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
    from .output import MemoryWriter

    options = _options(args)
    writer = MemoryWriter()
    try:
        result = pipeline.build(options, writer)
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics, failed.strict)
        print(summarize(failed.diagnostics, strict=failed.strict, wrote=False), file=sys.stderr)
        return EXIT_AUTHOR
    slugs = sorted(path.split("/")[0] for path in writer.files if path.count("/") == 1 and path.endswith("/index.html"))
    if args.story not in slugs:
        print(f"broadsheet: error: no story '{args.story}'\n  hint: {did_you_mean(args.story, slugs)}"
              f"stories are {', '.join(slugs) or 'none'}", file=sys.stderr)
        return EXIT_USAGE
    _print_diagnostics(result.diagnostics, False)
    page = export.single_file(writer.files, args.story, result.absolute_url)
    target = Path(args.file)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(page)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
    print(f"Exported {args.story} -> {target} ({len(page) / 1024:.0f} KB, works offline)")
    return EXIT_OK


def _interrupt(signum, frame):
    raise KeyboardInterrupt


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
    (folder / "sections").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "charts").mkdir()
    (folder / "index.md").write_text(
        "---\ntitle: Titre de l'article\ndek: Une phrase qui dit ce que le lecteur va apprendre.\n"
        f"published: {date.today().isoformat()}\nlanguage: fr\n---\n", encoding="utf-8")
    (folder / "sections" / "01-debut.md").write_text(
        "## Premier intertitre\n\nLe texte, où chaque nombre est un fait : {fact:exemple}.\n", encoding="utf-8")
    (folder / "facts.yaml").write_text(
        "facts:\n  exemple:\n    value: 42\n    unit: \"\"\n    as_of: 2026-01-01\n    source: exemple\n"
        "    status: confirmed\nsources:\n  exemple:\n    name: Titre de la source\n    publisher: Éditeur\n"
        f"    url: https://example.org/\n    date: {date.today().isoformat()}\n", encoding="utf-8")
    (folder / "media").mkdir()
    print(f"Created {folder}/: edit index.md, sections/ and facts.yaml, then run `python build.py`")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
