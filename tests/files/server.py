#!/usr/bin/env python3
"""A loopback HTTP server for tests/files/run: file contents, delays, faults, concurrency counts.

Python 3 standard library only.

  server.py --root DIR --log FILE --stats DIR

Binds 127.0.0.1 on a port the kernel picks, prints {"port": N} as one line
once it listens, then runs until killed. Routes (GET and HEAD):

  /f/<name>                       the file DIR/<name> (404 if missing)
  /gzip/<name>                    that file gzip-compressed (a resource, not a
                                  Content-Encoding)
  /gzip-bad-crc/<name>            the same stream with the CRC-32 in its
                                  trailer inverted: it inflates fully, then
                                  fails its integrity check
  /status/<code>/...              that status
  /slow/<ms>/<group>/<name>       the file after <ms> milliseconds; while it is
                                  being answered the request counts as in
                                  flight in <group>, and after every change
                                  STATS/<group>.json holds
                                  {"requests": total, "in_flight": now,
                                  "max_in_flight": highest seen}

Every request is appended to the --log file as one JSON line {"method", "path"}.
"""

import argparse
import gzip
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse


class Groups:
    """Counts requests in flight per group and records the maximum."""

    def __init__(self, stats_dir):
        self.lock = threading.Lock()
        self.stats_dir = stats_dir
        self.groups = {}

    def _save(self, name, entry):
        path = os.path.join(self.stats_dir, name + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(entry, f, sort_keys=True)
        os.replace(path + ".tmp", path)

    def enter(self, name):
        with self.lock:
            entry = self.groups.setdefault(name, {"requests": 0, "in_flight": 0, "max_in_flight": 0})
            entry["requests"] += 1
            entry["in_flight"] += 1
            entry["max_in_flight"] = max(entry["max_in_flight"], entry["in_flight"])
            self._save(name, entry)

    def leave(self, name):
        with self.lock:
            entry = self.groups[name]
            entry["in_flight"] -= 1
            self._save(name, entry)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FlintFilesTestServer/1"
    timeout = 60

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):
        self.route(body=True)

    def do_HEAD(self):
        self.route(body=False)

    def reply(self, code, data, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and data:
            self.wfile.write(data)

    def read_file(self, parts):
        rel = urllib.parse.unquote("/".join(parts))
        root = os.path.realpath(self.server.root)
        path = os.path.realpath(os.path.join(root, rel))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def serve(self, parts, body, transform=None):
        data = self.read_file(parts)
        if data is None:
            self.reply(404, b"not found\n", body)
        else:
            self.reply(200, transform(data) if transform else data, body)

    def route(self, body):
        with self.server.log_lock:
            self.server.log.write(json.dumps({"method": self.command, "path": self.path}) + "\n")
            self.server.log.flush()
        parts = urllib.parse.urlsplit(self.path).path.split("/")[1:]
        head, rest = (parts[0] if parts else ""), parts[1:]
        if head == "f" and rest:
            self.serve(rest, body)
        elif head == "gzip" and rest:
            self.serve(rest, body, lambda d: gzip.compress(d, mtime=0))
        elif head == "gzip-bad-crc" and rest:
            def bad_crc(d):
                z = bytearray(gzip.compress(d, mtime=0))
                for i in range(len(z) - 8, len(z) - 4):
                    z[i] ^= 0xFF
                return bytes(z)
            self.serve(rest, body, bad_crc)
        elif head == "status" and rest:
            self.reply(int(rest[0]), b"status %s\n" % rest[0].encode(), body)
        elif head == "slow" and len(rest) >= 3:
            group = rest[1]
            self.server.groups.enter(group)
            try:
                time.sleep(int(rest[0]) / 1000.0)
                self.serve(rest[2:], body)
            finally:
                self.server.groups.leave(group)
        else:
            self.reply(404, b"no such route\n", body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, root, log, stats):
        self.root = root
        self.log = open(log, "a", encoding="utf-8")
        self.log_lock = threading.Lock()
        self.groups = Groups(stats)
        super().__init__(("127.0.0.1", 0), Handler)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--stats", required=True)
    args = p.parse_args()
    server = Server(args.root, args.log, args.stats)
    sys.stdout.write(json.dumps({"port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
