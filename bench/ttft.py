#!/usr/bin/env python3
"""Time to first token of a streamed chat completion, for bench/inference_gateway.sh.

    ttft.py URL BODY_FILE [--auth HEADER_VALUE] [--connections N] [--seconds S]

Each of N threads sends POST URL with the JSON body on its own connection, over and over for S
seconds, and records the time from sending the request to the arrival of the first SSE event
that carries content ("data: " with a non-empty delta). Every stream is then read to its end
("data: [DONE]") so that the server sees a normal client. Prints one line:

    TTFT streams=N rps=R p50_ms=X p99_ms=Y errors=E

Only the standard library: the same client measures the direct and the gateway URL, so its own
overhead cancels out of the difference.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def first_token_ms(parsed, body, headers):
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        start = time.perf_counter()
        connection.request("POST", parsed.path, body=body, headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"status {response.status}: {response.read()[:200]!r}")
        first = None
        done = False
        while not done:
            line = response.readline()
            if not line:
                break
            if line.startswith(b"data: ") and first is None:
                payload = line[6:].strip()
                if payload == b"[DONE]":
                    break
                chunk = json.loads(payload)
                choices = chunk.get("choices") or []
                if choices and (choices[0].get("delta") or {}).get("content"):
                    first = (time.perf_counter() - start) * 1000
            done = line.strip() == b"data: [DONE]"
        if first is None:
            raise RuntimeError("no content chunk in the stream")
        return first
    finally:
        connection.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("body_file")
    parser.add_argument("--auth", default="")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()

    parsed = urllib.parse.urlparse(args.url)
    with open(args.body_file, "rb") as f:
        body = f.read()
    headers = {"Content-Type": "application/json"}
    if args.auth:
        headers["Authorization"] = args.auth

    samples, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + args.seconds

    def worker():
        while time.monotonic() < deadline:
            try:
                ms = first_token_ms(parsed, body, headers)
                with lock:
                    samples.append(ms)
            except Exception as error:  # counted, and the first one shown
                with lock:
                    errors.append(str(error))

    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"ttft.py: first error: {errors[0]}", flush=True, file=__import__("sys").stderr)
    if not samples:
        print(f"TTFT streams=0 rps=0 p50_ms=nan p99_ms=nan errors={len(errors)}")
        return 1
    print(f"TTFT streams={len(samples)} rps={len(samples) / args.seconds:.1f} p50_ms={percentile(samples, 50):.3f} "
          f"p99_ms={percentile(samples, 99):.3f} errors={len(errors)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
