"""`liveroom serve ROOM_ID`: the players' view in browsers, through textual-serve.

Each browser tab gets its own `liveroom player ROOM_ID` process, which opens the
store read-only; the server runs that command and nothing else, so the game
master's console is never served. On loopback anyone on this machine may
connect; on any other address every request needs the secret token printed at
start (in the link's query, or the cookie the page then carries): without it,
403. Ctrl+C (or SIGTERM) stops the server and every player process it started.

textual-serve's Server and AppService are subclassed at the seams its 1.1 code
offers (constraints.txt pins it): the routes, the page's URLs (taken from the
request, so the link works from the players' machines), and the process, which
is started without a shell, in its own session, and ended for sure at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("liveroom.serve")

TOKEN_COOKIE = "liveroom_player_token"
MAX_PLAYERS = 64
"""Player processes at once: a tab beyond this is refused (503) rather than start one more."""
STOP_GRACE_S = 3.0
"""How long a player process has to quit when asked, before it is terminated."""


def is_loopback(host: str) -> bool:
    """Whether `host` listens on this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def player_command(target: str | None, interaction_id: int) -> list[str]:
    """The one command every tab runs: the read-only player view of this interaction."""
    command = [sys.executable, "-m", "app.cli", "player", str(interaction_id)]
    if target:
        command += ["--db", target]
    return command


class PlayerService(AppService):
    """One tab's player process: started without a shell, in a session of its own (so a
    Ctrl+C meant for the server reaches it only through the server), and ended for sure."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self._argv = list(argv)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def end(self) -> None:
        """Ask the app to quit; terminate it if it has not within STOP_GRACE_S, then kill."""
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), STOP_GRACE_S)
        process = self._process
        if process is None or process.returncode is not None:
            return
        for ending in (process.terminate, process.kill):
            try:
                ending()
            except ProcessLookupError:
                return
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_S)
                return
            except TimeoutError:
                continue


class PlayerServer(Server):
    """textual-serve's server, serving only the player command, behind a token off loopback."""

    def __init__(
        self, argv: Sequence[str], *, host: str, port: int, token: str | None, title: str
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title=title)
        self.argv = list(argv)
        self.token = token
        self.services: set[PlayerService] = set()
        """The player processes running now, one per open tab."""
        self.announce: Callable[[], None] = lambda: None

    # -- the web application -------------------------------------------------

    async def _make_app(self) -> web.Application:
        middlewares = [self._require_token] if self.token else []
        app = web.Application(middlewares=middlewares)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _require_token(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every request off loopback carries the token: in the query (the link given to the
        players) or in the cookie the page sets for its scripts, styles and websocket."""
        assert self.token is not None
        offered = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        if not secrets.compare_digest(offered.encode(), self.token.encode()):
            raise web.HTTPForbidden(text="This players' view needs the link with its token.\n")
        response = await handler(request)
        if request.query.get("token") and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its URLs made from the address the browser used (the server may
        listen on 0.0.0.0, which no browser can connect to)."""
        origin = f"{request.scheme}://{request.host}"
        websocket = ("wss://" if request.scheme == "https" else "ws://") + request.host + "/ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: a player process for as long as its websocket is open."""
        websocket = web.WebSocketResponse(heartbeat=15)
        if len(self.services) >= MAX_PLAYERS:
            raise web.HTTPServiceUnavailable(text="Too many players' views are open.\n")
        await websocket.prepare(request)
        service = PlayerService(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.services.add(service)
        try:
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one tab's failure must not stop the others
            log.exception(error)
        finally:
            await service.end()
            self.services.discard(service)
            if not websocket.closed:
                await websocket.close()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        self.announce()

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every player process this server started ends, and their tabs close."""
        await asyncio.gather(*(service.end() for service in list(self.services)))

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C or SIGTERM; then stop every player process."""
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, self.request_exit)
        with contextlib.suppress(GracefulExit):
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                shutdown_timeout=STOP_GRACE_S * 2,
                access_log=None,
            )


def player_links(host: str, port: int, token: str | None) -> list[str]:
    """The links to give the players: this machine's addresses when listening on all of them."""
    query = f"/?token={token}" if token else "/"
    everywhere = host in ("0.0.0.0", "::", "")
    hosts = (_own_addresses() or [socket.gethostname()]) if everywhere else [host]
    return [
        f"http://[{name}]:{port}{query}" if ":" in name else f"http://{name}:{port}{query}"
        for name in hosts
    ]


def _own_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses, as its own name resolves them."""
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    addresses = dict.fromkeys(str(info[4][0]) for info in found)
    return [address for address in addresses if not is_loopback(address)]


def serve_main(target: str | None, room: str, host: str, port: int) -> int:
    """`liveroom serve`: check the store and the room, print the link, serve until Ctrl+C."""
    from app.player.source import resolve_room
    from store import open_store

    with open_store(target, read_only=True) as store:
        interaction_id = resolve_room(store, room)
        name = store.get_interaction(interaction_id, with_snapshot=False).name
    if target and "://" not in target:
        target = os.path.abspath(target)  # the player processes may not share our directory
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    server = PlayerServer(
        player_command(target, interaction_id),
        host=host,
        port=port,
        token=token,
        title=f"{name} · players' view",
    )

    def announce() -> None:
        print(f"Serving the players' view of #{interaction_id} {name!r} (read-only).")
        if token:
            print("Give the players this link (it carries the secret token):")
        else:
            print("Open this link on this machine (add --host 0.0.0.0 to reach the players):")
        for link in player_links(host, port, token):
            print(f"  {link}")
        print("Press Ctrl+C to stop.", flush=True)

    server.announce = announce
    server.serve()
    return 0
