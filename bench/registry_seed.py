#!/usr/bin/env python3
"""Seeds a nearhub registry over HTTP for bench/registry.sh: ENTRIES entries spread over the
accounts whose tokens are given, every TAG_EVERY-th entry tagged "rare", and stars from the
first account on STARS entries. Uses only the public API (upload_metadata, add_star), so it
does not depend on the schema. Keep-alive connections, one thread per account.

  registry_seed.py BASE_URL ENTRIES TAG_EVERY STARS TOKEN_FILE...
"""
import http.client
import json
import sys
import threading
import urllib.parse


def connection(base_url):
    parsed = urllib.parse.urlparse(base_url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)


def post(conn, path, token, body=None, form=None):
    headers = {"Authorization": "Bearer " + token}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body)
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(form)
    conn.request("POST", path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {text[:200]!r}")


def seed_account(base_url, token, account, indexes, tag_every, errors):
    try:
        conn = connection(base_url)
        for i in indexes:
            tags = ["bench"] + (["rare"] if i % tag_every == 0 else [])
            post(conn, "/v1/registry/upload_metadata", token, {
                "entry_location": {"namespace": account, "name": f"entry-{i}", "version": "1.0.0"},
                "metadata": {"category": "agent" if i % 2 else "dataset",
                             "description": f"Benchmark entry {i}", "tags": tags,
                             "details": {"index": i}, "show_entry": True},
            })
    except BaseException as error:  # reported by the main thread
        errors.append(error)


def main():
    base_url, entries, tag_every, stars = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    tokens = [open(path).read().strip() for path in sys.argv[5:]]
    accounts = [json.loads(token)["account_id"] for token in tokens]
    errors = []
    threads = []
    for k, (token, account) in enumerate(zip(tokens, accounts)):
        indexes = range(k, entries, len(tokens))
        threads.append(threading.Thread(target=seed_account,
                                        args=(base_url, token, account, indexes, tag_every, errors)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"seeding failed: {errors[0]}")
    conn = connection(base_url)
    for i in range(stars):
        owner = accounts[i % len(accounts)]
        post(conn, "/v1/stars/add_star", tokens[0], form={"namespace": owner, "name": f"entry-{i}"})


if __name__ == "__main__":
    main()
