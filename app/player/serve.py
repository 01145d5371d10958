"""`liveroom serve ROOM_ID`: the players' view in browsers, through textual-serve.

Each browser tab gets its own `liveroom player ROOM_ID` process, which opens the
store read-only; the server runs that command and nothing else, so the game
master's console is never served. On loopback anyone on this machine may
connect; on any other address every request needs the secret token printed at
start (in the link's query, or the cookie the page then carries): without it,
403. Ctrl+C stops the server, which closes every tab's websocket as it shuts
down, and textual-serve ends a tab's process when its websocket closes: no
player process outlives the server by more than its own quitting.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

TOKEN_COOKIE = "liveroom_player_token"


def is_loopback(host: str) -> bool:
    """Whether `host` listens on this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def player_command(target: str | None, interaction_id: int) -> str:
    """The one command every tab runs: the read-only player view of this interaction."""
    command = [sys.executable, "-m", "app.cli", "player", str(interaction_id)]
    if target:
        command += ["--db", target]
    return shlex.join(command)


class PlayerServer(Server):
    """textual-serve's server for the player command, behind a token off loopback."""

    def __init__(
        self, command: str, *, host: str, port: int, token: str | None, title: str
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.announcement: list[str] = []
        """Printed once the server listens."""
        self.open_tabs: set[asyncio.Task[object]] = set()
        """The handlers of the tabs being served, ended on shutdown."""

    async def _make_app(self) -> web.Application:
        """textual-serve's application, with the token checked before every route."""
        app = await super()._make_app()
        if self.token is not None:
            app.middlewares.append(self._require_token)
        return app

    @web.middleware
    async def _require_token(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """The token comes in the query (the link given to the players) or in the cookie the
        page then carries for its scripts and its websocket."""
        assert self.token is not None
        offered = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        if not secrets.compare_digest(offered.encode(), self.token.encode()):
            raise web.HTTPForbidden(text="This players' view needs the link with its token.\n")
        response = await handler(request)
        if request.query.get("token") and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="Strict")
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, its URLs made from the address the browser used: the server may listen
        on 0.0.0.0, which no browser can connect to, and a player may reach it by any of
        the machine's names."""
        origin = f"{request.scheme}://{request.host}"
        websocket = ("wss://" if request.scheme == "https" else "ws://") + request.host + "/ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def initialize_logging(self) -> None:
        """Quiet: the players' link is all the game master needs to read."""

    async def on_startup(self, app: web.Application) -> None:
        print("\n".join(self.announcement), flush=True)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler of one tab, tracked while it runs so shutdown can end it."""
        task = asyncio.current_task()
        assert task is not None
        self.open_tabs.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.open_tabs.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's handler: cancelled, textual-serve closes its websocket and stops
        its player process. Left open, aiohttp would wait for each browser to go, or for
        its heartbeat to fail (15 s and more) while the player processes ran on."""
        tabs = list(self.open_tabs)
        for task in tabs:
            task.cancel()
        await asyncio.gather(*tabs, return_exceptions=True)


def player_links(host: str, port: int, token: str | None) -> list[str]:
    """The links to give the players. Listening on all addresses: one for each of this
    machine's non-loopback IPv4 addresses, then one by its name (which on Debian often
    resolves to 127.0.1.1 only, so it comes last, as a spare)."""
    query = f"/?token={token}" if token else "/"
    everywhere = host in ("0.0.0.0", "::", "")
    hosts = [*_own_addresses(), socket.gethostname()] if everywhere else [host]
    return [
        f"http://[{name}]:{port}{query}" if ":" in name else f"http://{name}:{port}{query}"
        for name in dict.fromkeys(hosts)
    ]


OUTWARD_PROBE = ("192.0.2.1", 9)
"""TEST-NET-1 (RFC 5737), routed nowhere: connecting a UDP socket to it only asks the
kernel which interface would carry the packet; nothing is sent."""


def _own_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses: the one its outgoing traffic leaves
    from, then those its own name resolves to."""
    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(OUTWARD_PROBE)
            found.append(str(probe.getsockname()[0]))
    except OSError:
        pass  # no route out: the name may still resolve to a local network address
    try:
        resolved = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        resolved = []
    found += [str(info[4][0]) for info in resolved]
    return [
        address
        for address in dict.fromkeys(found)
        if not is_loopback(address) and address != "0.0.0.0"
    ]


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
    links = player_links(host, port, token)
    server = PlayerServer(
        player_command(target, interaction_id),
        host=host,
        port=port,
        token=token,
        title=f"{name} · players' view",
    )
    server.announcement = [
        f"Serving the players' view of #{interaction_id} {name!r} (read-only).",
        "Give the players this link (it carries the secret token):"
        if token
        else "Open this link on this machine (add --host 0.0.0.0 to reach the players):",
        *(f"  {link}" for link in links),
        "Press Ctrl+C to stop.",
    ]
    server.serve()
    return 0
