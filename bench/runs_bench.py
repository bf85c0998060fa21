#!/usr/bin/env python3
"""Run-stream measurements for bench/runs.sh (standard library only).

    runs_bench.py thread URL TOKEN_FILE N
        Creates a thread holding N messages (one POST /v1/threads with `messages`); prints its id.
    runs_bench.py delta-latency URL TOKEN_FILE --words W
        Delay between a streamed chat completion's chunks reaching the completion client and the
        same chunks reaching a subscriber of the run's stream, as thread.message.delta events.
    runs_bench.py idle-streams URL TOKEN_FILE --pid PID --streams N --hold S
        Opens N idle GET /v1/threads/{id}/stream/{run_id} on one delegated run and reports the
        server's VmRSS and thread count before, with and after them.

Each measurement prints one line starting with a tag (DELTA, STREAMS) and key=value pairs that
bench/runs.sh parses; progress goes to stderr.

Both clients of the delta measurement live in one asyncio loop in one thread, so their
timestamps come from one clock and neither waits for the other's thread to be scheduled. The
completion client sees chunk i when the provider emitted it plus the gateway's relay time; the
subscriber sees it after the gateway has also stored it as a run event and the event has been
announced and written to the subscriber's socket. The difference is the run-event path.
"""
import argparse
import asyncio
import http.client
import json
import resource
import sys
import time
import urllib.parse


def note(text):
    print(f"-- {text}", file=sys.stderr, flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Hub:
    """Plain request/response calls over one keep-alive connection (setup, not measured)."""

    def __init__(self, url, token):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.token = token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method, path, body=None, expect=200):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        if response.status != expect:
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None


# ---- a minimal asyncio HTTP/1.1 client for long-lived streamed responses


class Stream:
    """One request on its own connection; `lines()` yields (timestamp, line) of the body."""

    def __init__(self, reader, writer, status, headers):
        self.reader, self.writer = reader, writer
        self.status, self.headers = status, headers

    @classmethod
    async def open(cls, host, port, method, path, headers, body=b""):
        reader, writer = await asyncio.open_connection(host, port)
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before the status line")
        status = int(status_line.split()[1])
        response_headers = {}
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            response_headers[name.strip().lower()] = value.strip()
        return cls(reader, writer, status, response_headers)

    async def _pieces(self):
        """The body as it arrives (chunked, sized or until close), stamped on arrival."""
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size_line = await self.reader.readline()
                if not size_line:
                    return
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    return
                data = await self.reader.readexactly(size + 2)
                yield time.perf_counter(), data[:-2]
        elif "content-length" in self.headers:
            data = await self.reader.readexactly(int(self.headers["content-length"]))
            yield time.perf_counter(), data
        else:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    return
                yield time.perf_counter(), data

    async def lines(self):
        buffer = b""
        async for stamp, data in self._pieces():
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                yield stamp, line.rstrip(b"\r")
        if buffer:
            yield time.perf_counter(), buffer

    async def body(self):
        return b"".join([data async for _, data in self._pieces()])

    def close(self):
        self.writer.close()


def sse_data(line):
    return line[6:] if line.startswith(b"data: ") else None


# ---- delta latency


async def delta_latency(url, token, words, timeout):
    parsed = urllib.parse.urlparse(url)
    host, port = parsed.hostname, parsed.port
    hub = Hub(url, token)
    thread = hub.call("POST", "/v1/threads", {})["id"]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    # The subscriber: the CLI's local run (streamed, delegated), held open until the run ends.
    subscriber = await Stream.open(
        host, port, "POST", f"/v1/threads/{thread}/runs", auth,
        json.dumps({"assistant_id": "bench.near/agent/1", "stream": True,
                    "delegate_execution": True}).encode())
    if subscriber.status != 200:
        raise SystemExit(f"run stream: {subscriber.status} {(await subscriber.body())[:300]!r}")
    run_id = None
    run_started = asyncio.get_running_loop().create_future()
    received = {}  # delta text -> arrival time at the subscriber
    closing_event = None

    async def read_run():
        nonlocal run_id, closing_event
        async for stamp, line in subscriber.lines():
            data = sse_data(line)
            if data is None:
                continue
            event = json.loads(data)
            if run_id is None:
                run_id = event["data"]["id"]
                run_started.set_result(run_id)
            if event["event"] == "thread.message.delta":
                for part in event["data"]["delta"]["content"]:
                    received.setdefault(part["text"]["value"], stamp)
            closing_event = event["event"]  # the last one when the response ends

    reading = asyncio.create_task(read_run())
    await asyncio.wait_for(run_started, timeout)

    # The agent: a streamed completion for the run, through the hub to the paced provider.
    prompt = " ".join(f"w{i}" for i in range(1, words))
    completion = await Stream.open(
        host, port, "POST", "/v1/chat/completions",
        {**auth, "run_id": run_id, "thread_id": thread},
        json.dumps({"model": "local::test-model", "stream": True,
                    "messages": [{"role": "user", "content": prompt}]}).encode())
    if completion.status != 200:
        raise SystemExit(f"completion: {completion.status} {(await completion.body())[:300]!r}")
    sent = {}  # chunk text -> arrival time at the completion client
    order = []
    async for stamp, line in completion.lines():
        data = sse_data(line)
        if data is None or data == b"[DONE]":
            continue
        choices = json.loads(data).get("choices") or []
        content = (choices[0].get("delta") or {}).get("content") if choices else None
        if content:
            sent.setdefault(content, stamp)
            order.append(content)
    completion.close()

    # Give the last deltas time to arrive, then end the run (which closes the subscriber).
    deadline = time.monotonic() + 10
    while len(received) < len(sent) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    hub.call("POST", f"/v1/threads/{thread}/runs/{run_id}", {"status": "completed"})
    await asyncio.wait_for(reading, timeout)
    subscriber.close()

    delays = [(received[text] - sent[text]) * 1000 for text in order if text in received]
    missing = len(order) - len(delays)
    if not delays:
        raise SystemExit("the subscriber received no deltas")
    print(f"DELTA chunks={len(order)} received={len(delays)} missing={missing} "
          f"p50_ms={percentile(delays, 50):.3f} p99_ms={percentile(delays, 99):.3f} "
          f"min_ms={min(delays):.3f} max_ms={max(delays):.3f} "
          f"mean_ms={sum(delays) / len(delays):.3f} closed_by={closing_event}", flush=True)


# ---- idle streams


def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            values[key] = value.strip()
    return int(values["VmRSS"].split()[0]), int(values["Threads"])


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def idle_streams(url, token, pid, count, hold, timeout):
    limit = raise_fd_limit(count + 100)
    if limit < count + 50:
        raise SystemExit(f"the open-file limit is {limit}: too low for {count} streams")
    parsed = urllib.parse.urlparse(url)
    host, port = parsed.hostname, parsed.port
    hub = Hub(url, token)
    thread = hub.call("POST", "/v1/threads", {})["id"]
    run_id = hub.call("POST", f"/v1/threads/{thread}/runs",
                      {"assistant_id": "bench.near/agent/1", "delegate_execution": True})["id"]
    path = f"/v1/threads/{thread}/stream/{run_id}"
    headers = {"Authorization": f"Bearer {token}"}

    # One stream opened and read to its end first, so lazily built state is not counted per stream.
    warm = await Stream.open(host, port, "GET", path, headers)
    assert warm.status == 200, warm.status
    warm.close()
    await asyncio.sleep(1)
    rss_before, threads_before = proc_status(pid)

    opened = 0
    closed_after_terminal = 0
    gate = asyncio.Semaphore(64)  # connects in flight at once (stays under the listen backlog)
    all_open = asyncio.Event()
    finish_times = []

    async def hold_one():
        nonlocal opened, closed_after_terminal
        async with gate:
            stream = await Stream.open(host, port, "GET", path, headers)
        if stream.status != 200:
            raise SystemExit(f"stream {opened}: status {stream.status}")
        opened += 1
        if opened == count:
            all_open.set()
        terminal = False
        async for stamp, line in stream.lines():
            data = sse_data(line)
            if data is not None and json.loads(data)["event"] == "thread.run.completed":
                terminal = True
                finish_times.append(stamp)
        if terminal:
            closed_after_terminal += 1
        stream.close()

    start = time.perf_counter()
    tasks = [asyncio.create_task(hold_one()) for _ in range(count)]
    await asyncio.wait_for(all_open.wait(), timeout)
    open_seconds = time.perf_counter() - start
    note(f"{count} streams open in {open_seconds:.1f} s; holding them {hold} s")
    await asyncio.sleep(hold)
    rss_with, threads_with = proc_status(pid)

    # End the run: every subscriber gets thread.run.completed and its response ends.
    completed_at = time.perf_counter()
    hub.call("POST", f"/v1/threads/{thread}/runs/{run_id}", {"status": "completed"})
    await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    fanout_ms = (max(finish_times) - completed_at) * 1000 if finish_times else float("nan")
    await asyncio.sleep(2)
    rss_after, threads_after = proc_status(pid)
    per_stream_kb = (rss_with - rss_before) / count
    print(f"STREAMS count={count} open_s={open_seconds:.2f} rss_before_kb={rss_before} "
          f"rss_with_kb={rss_with} rss_after_kb={rss_after} per_stream_kb={per_stream_kb:.1f} "
          f"threads_before={threads_before} threads_with={threads_with} "
          f"threads_after={threads_after} completed={closed_after_terminal} "
          f"fanout_ms={fanout_ms:.1f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("thread")
    p.add_argument("url")
    p.add_argument("token_file")
    p.add_argument("messages", type=int)
    p = sub.add_parser("delta-latency")
    p.add_argument("url")
    p.add_argument("token_file")
    p.add_argument("--words", type=int, default=500)
    p.add_argument("--timeout", type=float, default=120)
    p = sub.add_parser("idle-streams")
    p.add_argument("url")
    p.add_argument("token_file")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--streams", type=int, default=1000)
    p.add_argument("--hold", type=float, default=3)
    p.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    with open(args.token_file) as f:
        token = f.read().strip()

    if args.command == "thread":
        messages = [{"role": "user", "content": f"bench message {i}"} for i in range(args.messages)]
        print(Hub(args.url, token).call("POST", "/v1/threads", {"messages": messages})["id"])
    elif args.command == "delta-latency":
        asyncio.run(delta_latency(args.url, token, args.words, args.timeout))
    else:
        asyncio.run(idle_streams(args.url, token, args.pid, args.streams, args.hold, args.timeout))


if __name__ == "__main__":
    main()
