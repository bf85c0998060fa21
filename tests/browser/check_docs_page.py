#!/usr/bin/env python3
"""Checks one docs page as headless Chromium rendered it (see render_docs_pages.sh).

- the dumped DOM holds the viewer's rendered container and, for every operation of the served
  /openapi.json, its summary and its path: so the page rendered the whole document;
- the screenshot is a real picture, not a blank page;
- every request the page made (Chromium's net log) went to the server itself.

Uses only the Python standard library. Exits 1 with one line per failure.
"""

import argparse
import html
import json
import re
import struct
import sys
import urllib.request
import zlib

# Markers of a rendered viewer, not of the HTML page that loads it.
RENDERED_MARKERS = {
    "redoc": ['class="[^"]*\\bredoc-wrap\\b', 'class="[^"]*\\bapi-content\\b'],
    "swagger": ['class="[^"]*\\bswagger-ui\\b', 'class="[^"]*\\bopblock-summary\\b'],
}


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation["summary"]


def check_dom(kind, dom, document):
    problems = []
    for marker in RENDERED_MARKERS[kind]:
        if not re.search(marker, dom):
            problems.append(f"no element matching {marker!r}: the {kind} viewer did not render")
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    text = re.sub(r"[\s\u200b]+", " ", text)
    for method, path, summary in operations(document):
        if re.sub(r"\s+", " ", summary) not in text:
            problems.append(f"summary {summary!r} of {method} {path} is not on the page")
        # Swagger UI puts the template in data-path; Redoc shows it in the endpoint box.
        if f'data-path="{html.escape(path)}"' not in dom and path not in text:
            problems.append(f"path {path} ({method}) is not on the page")
    return problems


def png_pixels(data):
    """Decodes an 8-bit, non-interlaced RGB or RGBA PNG into rows of bytes."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, color type {color})")
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                row[i] = (row[i] + predictor) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, channels, rows


def check_png(path):
    try:
        with open(path, "rb") as file:
            width, height, channels, rows = png_pixels(file.read())
    except (OSError, ValueError, TypeError, zlib.error) as error:
        return [f"screenshot {path}: {error}"]
    counts = {}
    for row in rows[::4]:  # every 4th row is plenty to tell a page from a blank one
        for x in range(0, width * channels, channels):
            pixel = row[x : x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    sampled = sum(counts.values())
    background = max(counts.values())
    problems = []
    if len(counts) < 16:
        problems.append(f"screenshot {path} has only {len(counts)} colours: the page looks blank")
    if sampled - background < sampled // 50:
        problems.append(f"screenshot {path} is {background / sampled:.1%} one colour: nearly blank")
    return problems


def check_requests(netlog_path, base_url):
    """Every request the page started (its document, and what it initiated) stays on base_url."""
    with open(netlog_path, encoding="utf-8") as file:
        log = json.load(file)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    origin = base_url.rstrip("/")
    problems, seen = [], 0
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] != start_job or "url" not in params:
            continue
        # Chromium's own services (updates, time, autofill) start requests with no page origin.
        from_page = params.get("initiator") == origin or params.get("request_type") == "main frame"
        if not from_page:
            continue
        seen += 1
        url = params["url"]
        if not (url.startswith(origin + "/") or url.startswith(("data:", "blob:"))):
            problems.append(f"the page requested {url}, outside the server")
    if seen == 0:
        problems.append(f"{netlog_path} records no request of the page")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(RENDERED_MARKERS), required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--dom", required=True)
    parser.add_argument("--png", required=True)
    parser.add_argument("--netlog", required=True)
    args = parser.parse_args()

    with urllib.request.urlopen(args.base_url + "/openapi.json", timeout=30) as response:
        document = json.load(response)
    with open(args.dom, encoding="utf-8") as file:
        dom = file.read()

    problems = check_dom(args.kind, dom, document)
    problems += check_png(args.png)
    problems += check_requests(args.netlog, args.base_url)
    for problem in problems:
        print(f"{args.kind}: {problem}", file=sys.stderr)
    if problems:
        return 1
    count = sum(1 for _ in operations(document))
    print(f"{args.kind}: {count} operations rendered, screenshot {args.png} looks like a page, "
          "no request left the server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
