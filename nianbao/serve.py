"""python build.py serve: build, serve output/ over HTTP, rebuild on every change,
and reload the open tab.

A watchdog observer on content/, templates/ and site_src/ wakes one builder
thread; a burst of events (an editor's temp file, rename and save) becomes one
rebuild after a short quiet spell. Served HTML gets one script tag that listens
on an event stream: ``reload`` after a rebuild that changed the site, ``problem``
when a template or a report the user touched could not be used. The files in
output/ never carry that script.
"""

from __future__ import annotations

import errno
import functools
import http.server
import ipaddress
import json
import socket
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from nianbao.build.cache import usable
from nianbao.build.pipeline import Builder, BuildError, BuildResult
from nianbao.config import Config
from nianbao.write import MANIFEST, STAGED, check_output, free_replaced, output_lock

LIVE_JS = (Path(__file__).parent / "live.js").read_bytes()
QUIET = 0.02  # seconds without events before a rebuild starts
IGNORED = ("node_modules", ".git", "__pycache__", ".cache")
MAX_STREAMS = 32  # event streams (open preview tabs) at once: each holds a thread
HEARTBEAT = 5  # seconds between a stream's keep-alive lines: a tab closed since is found (and its place freed) at the next


class Live:
    """The state the open tabs follow: the site's version and what stops it, if anything."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.version = 1
        self.problem: dict[str, object] | None = None

    def publish(self, problem: dict[str, object] | None, site_changed: bool) -> None:
        with self.changed:
            if site_changed or problem != self.problem:
                self.version += 1
            self.problem = problem
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> tuple[int, dict[str, object] | None]:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout)
            return self.version, self.problem


class Handler(http.server.SimpleHTTPRequestHandler):
    live: Live
    hosts: frozenset[str]  # names a request's Host may give besides IP addresses (DNS rebinding: no other name)
    port: int
    streams: threading.BoundedSemaphore  # event streams open at once, at most MAX_STREAMS
    with_body = True  # GET; False for HEAD

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        """GET (``body``) or HEAD: the same status and headers."""
        self.with_body = body
        if not self._host_allowed():
            self._send(403, "预览服务器只回应发往本机地址的请求（Host 不符）".encode(), "text/plain; charset=utf-8")
            return
        url = urlsplit(self.path)
        if url.path == "/__nianbao/events":
            since = parse_qs(url.query).get("since", ["0"])[0]
            self._events(int(since) if since.isdigit() else 0)
        elif url.path == "/__nianbao/live.js":
            self._send(200, LIVE_JS, "text/javascript; charset=utf-8")
        else:
            path = Path(self.translate_path(url.path))
            if path.is_dir():
                path = path / "index.html"
            bookkeeping = path.name == MANIFEST or path.name.startswith(STAGED)  # the build's, not the site's
            if path.suffix == ".html" and path.is_file() and not bookkeeping:
                self._send(200, self._inject(path.read_bytes()), "text/html; charset=utf-8")
            elif path.is_file() and not bookkeeping:
                super().do_GET() if body else super().do_HEAD()
            else:
                missing = Path(self.directory) / "404.html"
                page = missing.read_bytes() if missing.is_file() else b"<!DOCTYPE html><title>404</title><body>404</body>"
                self._send(404, self._inject(page), "text/html; charset=utf-8")

    def _host_allowed(self) -> bool:
        """Whether the Host header names this server: an IP address or a name it was started with, and its port."""
        host = self.headers.get("Host", "").strip().lower()
        if host.startswith("["):  # [::1]:8000
            name, _, rest = host[1:].partition("]")
            port = rest.removeprefix(":")
        else:
            name, _, port = host.partition(":")
        if not name or (port and port != str(self.port)):
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return name in self.hosts
        return True

    def _inject(self, html: bytes) -> bytes:
        tag = f'<script src="/__nianbao/live.js" data-version="{self.live.version}"></script>'.encode()
        at = html.rfind(b"</body>")
        return html[:at] + tag + html[at:] if at >= 0 else html + tag

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.with_body:
            self.wfile.write(body)

    def _events(self, since: int) -> None:
        if not self.streams.acquire(blocking=False):
            self._send(503, "打开的预览页面过多，请关闭一些标签页后刷新".encode(), "text/plain; charset=utf-8")
            return
        try:
            self._stream(since)
        finally:
            self.streams.release()

    def _stream(self, since: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if not self.with_body:
            return
        try:
            version, problem = self.live.version, self.live.problem
            while True:
                if problem is not None:
                    self._event("problem", json.dumps(problem, ensure_ascii=False))
                elif version != since:
                    self._event("reload", str(version))
                since = version
                version, problem = self.live.wait(since, HEARTBEAT)
                if version == since:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


class _Changes(FileSystemEventHandler):
    def __init__(self, server: Server):
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or (event.is_directory and event.event_type == "modified"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if any(part in IGNORED for p in paths if p for part in Path(p).parts):
            return
        self.server.changed([p for p in paths if p])


class Server:
    """Builds, serves, watches and rebuilds until stopped."""

    def __init__(self, config: Config, host: str, port: int, poll: bool = False):
        config = usable(config)
        self.config = config
        self.builder = Builder(config)
        self.live = Live()
        self.touched: set[str] = set()  # content files changed while serving
        self.pending = threading.Event()
        self.last_event = 0.0
        self.stopping = threading.Event()
        check_output(config)
        hosts = frozenset({"localhost", socket.gethostname().lower(), host.lower().strip("[]")})
        attributes = {"live": self.live, "hosts": hosts, "port": port, "streams": threading.BoundedSemaphore(MAX_STREAMS)}
        handler = type("LiveHandler", (Handler,), attributes)
        config.output.mkdir(parents=True, exist_ok=True)
        self.http = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(config.output)))
        self.http.daemon_threads = True
        handler.port = self.http.server_address[1]  # type: ignore[attr-defined]  # the one chosen, for --port 0
        self.observer = PollingObserver(timeout=0.25) if poll else Observer()
        self.last: BuildResult | None = None

    @property
    def url(self) -> str:
        host, port = self.http.server_address[:2]
        return f"http://{host!s}:{port}/"

    def changed(self, paths: list[str]) -> None:
        content = self.config.content.resolve()
        for path in paths:
            resolved = Path(path).resolve()
            if content in resolved.parents:
                self.touched.add(resolved.relative_to(content).as_posix())
        self.last_event = time.monotonic()
        self.pending.set()

    def rebuild(self) -> BuildResult | None:
        """One build; its outcome goes to the open tabs. Never raises."""
        try:
            with output_lock(self.config.output):
                result = self.builder.build()
            free_replaced()
        except BuildError as exc:
            where = f"{exc.source}:{exc.line}" if exc.line else exc.source
            self.live.publish({"title": "网站未更新：模板有错误", "items": [{"where": where, "reason": exc.reason}]}, False)
            print(f"错误：{where}: {exc.reason}", flush=True)
            return None
        except Exception as exc:  # a bug must not stop the preview
            trace = traceback.format_exc(limit=3)
            self.live.publish({"title": "网站未更新：构建出错", "items": [{"where": type(exc).__name__, "reason": trace}]}, False)
            print(trace, flush=True)
            return None
        mine = [p for p in result.problems if p.source in self.touched]
        problem: dict[str, object] | None = None
        if mine:
            items = [{"where": f"{self.config.content.as_posix().rstrip('/')}/{p.source}", "reason": p.message} for p in mine]
            problem = {"title": "这些文件未能读取（网站其余部分已更新）", "items": items}
        self.live.publish(problem, bool(result.written or result.removed))
        self.last = result
        return result

    def _rebuild_loop(self) -> None:
        while not self.stopping.is_set():
            if not self.pending.wait(0.5):
                continue
            while time.monotonic() - self.last_event < QUIET:  # let an editor's burst of events settle
                time.sleep(QUIET / 2)
            self.pending.clear()
            result = self.rebuild()
            if result is not None and self.config.verbose:
                if result.written or result.removed:
                    print(f"已重新构建：{result.written} 个文件更新，{result.removed} 个删除", flush=True)
                else:  # events that came late, for content a build had already read (an editor's burst under load)
                    print("已检查改动：网站无需更新", flush=True)

    def start(self) -> None:
        """Build once, start watching and rebuilding, start answering requests (in threads)."""
        self.rebuild()
        handler = _Changes(self)
        for folder in (self.config.content, self.config.templates, self.config.site_src):
            if folder.is_dir():
                self.observer.schedule(handler, str(folder), recursive=True)
        self.observer.start()
        threading.Thread(target=self._rebuild_loop, name="rebuild", daemon=True).start()
        threading.Thread(target=self.http.serve_forever, name="http", daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        self.observer.stop()
        self.http.shutdown()
        self.http.server_close()


def serve(config: Config, host: str, port: int, poll: bool) -> int:
    try:
        server = Server(config, host, port, poll)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"错误：端口 {port} 已被占用；用 --port 换一个，或 --port 0 自动选择空闲端口", flush=True)
            return 2
        raise
    server.start()
    watched = "、".join(f"{p.as_posix().rstrip('/')}/" for p in (config.content, config.templates, config.site_src))
    print(f"预览：{server.url}  （修改 {watched} 后自动重建并刷新；Ctrl-C 停止）", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\n已停止", flush=True)
    finally:
        server.stop()
    return 0
