"""The links `liveroom serve --host 0.0.0.0` prints: every address the players can reach."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from app.player import serve


class OutwardSocket:
    """A UDP socket whose connect() picks the interface at `address`, as the kernel would."""

    def __init__(self, address: str | None) -> None:
        self.address = address

    def __enter__(self) -> OutwardSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def connect(self, peer: tuple[str, int]) -> None:
        assert peer == serve.OUTWARD_PROBE
        if self.address is None:
            raise OSError("Network is unreachable")

    def getsockname(self) -> tuple[str, int]:
        assert self.address is not None
        return self.address, 40000


def machine(monkeypatch: pytest.MonkeyPatch, outward: str | None, resolved: list[str]) -> None:
    """A machine named "tablehost" whose name resolves to `resolved` and whose traffic
    leaves from `outward` (None: no route out)."""

    def getaddrinfo(host: str, *args: Any) -> list[Any]:
        assert host == "tablehost"
        return [(socket.AF_INET, socket.SOCK_DGRAM, 0, "", (ip, 0)) for ip in resolved]

    monkeypatch.setattr(serve.socket, "gethostname", lambda: "tablehost")
    monkeypatch.setattr(serve.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(serve.socket, "socket", lambda *args: OutwardSocket(outward))


def test_a_debian_name_on_loopback_still_gives_the_network_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    machine(monkeypatch, "192.168.1.20", ["127.0.1.1"])
    assert serve.player_links("0.0.0.0", 8040, "t0k") == [
        "http://192.168.1.20:8040/?token=t0k",
        "http://tablehost:8040/?token=t0k",
    ]


def test_every_non_loopback_address_once_then_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, "192.168.1.20", ["192.168.1.20", "10.0.0.5", "127.0.0.1"])
    assert serve.player_links("0.0.0.0", 8040, None) == [
        "http://192.168.1.20:8040/",
        "http://10.0.0.5:8040/",
        "http://tablehost:8040/",
    ]


def test_no_route_out_and_only_loopback_leaves_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, None, ["127.0.1.1"])
    assert serve.player_links("0.0.0.0", 8040, "t0k") == ["http://tablehost:8040/?token=t0k"]


def test_a_named_host_is_linked_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, "192.168.1.20", [])
    assert serve.player_links("192.168.1.20", 8040, "t0k") == [
        "http://192.168.1.20:8040/?token=t0k"
    ]
    assert serve.player_links("127.0.0.1", 8040, None) == ["http://127.0.0.1:8040/"]
