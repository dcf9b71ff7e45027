"""`briefing serve`: a read-only preview of the output folder in a browser, the archive at `/`
(the server is `preview.py`)."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading

import click

from ..errors import WorkError
from .params import config_option, load

log = logging.getLogger("briefing")


@click.command()
@click.option(
    "--host", default="127.0.0.1", metavar="HOST", help="Address to listen on (default 127.0.0.1)."
)
@click.option(
    "--port",
    default=8000,
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help="Port to listen on (default 8000; 0 picks a free one).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the archive in a browser.")
@config_option
def serve(host: str, port: int, open_browser: bool, config_path: str | None) -> None:
    """Preview the output folder in a browser, read-only, the archive at / (Ctrl-C stops)."""
    import webbrowser

    from .preview import is_loopback, make_server

    root = load(config_path).output_dir
    if not root.is_dir():
        raise WorkError(f"{root}: no output folder yet (briefing build writes it)")
    server = make_server(root, host, port)
    bound = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    if not (root / "index.html").is_file():
        log.warning("%s has no archive yet: the next build, run or deliver writes it", root)
    if not is_loopback(host):
        log.warning("listening on %s: anyone who can reach it can read the briefings", host)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:  # from the first line on, Ctrl-C (or SIGTERM) is the way to stop
        click.echo(f"serving {root} at {url} (Ctrl-C stops)")
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
        if previous is not None:
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM stops the preview as Ctrl-C does."""
    raise KeyboardInterrupt
