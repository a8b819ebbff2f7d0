"""A small asyncio HTTP/1.1 load generator: a closed loop of clients for a fixed duration.

Used where wrk cannot express the scenario (fetch a page, read its form token, post the answers,
time only the post). Its own ceiling is measured against the baseline in the same run.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

REQUEST_TIMEOUT = 30.0


class Exhausted(Exception):
    """The scenario has nothing more to send (for example, no fresh codes are left)."""


class Failed(Exception):
    """An untimed step of an iteration went wrong; the message names it (e.g. "page 500")."""


@dataclass
class Reply:
    """A parsed HTTP response."""

    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


class Connection:
    """One keep-alive connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict | None = None, body: bytes = b""
    ) -> Reply:
        """Send one request and read the whole response."""
        return await asyncio.wait_for(
            self._request(method, path, headers or {}, body), REQUEST_TIMEOUT
        )

    async def _request(self, method: str, path: str, headers: dict, body: bytes) -> Reply:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            reply = await self._read()
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        if reply.headers.get("connection", "").lower() == "close":
            self.close()
        return reply

    async def _read(self) -> Reply:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = value
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
        length = headers.get("content-length")
        body = await (self.reader.readexactly(int(length)) if length else self.reader.read())
        return Reply(int(status_line.split()[1]), headers, cookies, body)

    def close(self) -> None:
        """Close the connection; the next request opens a new one."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# A scenario does one iteration on a connection and calls record(status, seconds) for what
# it times; it raises Exhausted when it has nothing left to send.
Record = Callable[[int, float], None]
Scenario = Callable[[Connection, Record], Awaitable[None]]


@dataclass
class Result:
    """What a run measured."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu: float = 0.0  # CPU seconds used by this (client) process during the run
    exhausted: bool = False

    @property
    def rate(self) -> float:
        """Return the timed requests completed per second."""
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def _client(
    host: str, port: int, scenario: Scenario, deadline: float, result: Result
) -> None:
    conn = Connection(host, port)

    def record(status: int, seconds: float) -> None:
        result.latencies.append(seconds)
        result.statuses[status] += 1

    try:
        while time.monotonic() < deadline:
            try:
                await scenario(conn, record)
            except Exhausted:
                result.exhausted = True
                return
            except Failed as failure:
                result.errors[str(failure)] += 1
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                result.errors[type(error).__name__] += 1
                conn.close()
    finally:
        conn.close()


def run(host: str, port: int, clients: int, duration: float, scenario: Scenario) -> Result:
    """Run clients copies of scenario in a closed loop for duration seconds."""
    result = Result()

    async def main() -> None:
        deadline = time.monotonic() + duration
        await asyncio.gather(
            *(_client(host, port, scenario, deadline, result) for _ in range(clients))
        )

    cpu, wall = time.process_time(), time.monotonic()
    asyncio.run(main())
    result.elapsed = time.monotonic() - wall
    result.cpu = time.process_time() - cpu
    result.latencies.sort()
    return result
