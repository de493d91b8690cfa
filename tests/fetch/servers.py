#!/usr/bin/env python3
"""Real servers on 127.0.0.1 for tests/fetch/run: HTTP, HTTPS, a forward proxy, a late server.

Python 3 standard library only. Subcommands:

  serve --root DIR --tls DIR --log FILE
      Starts, on dynamic ports: `http`; `https` (tls/server.pem) and one HTTPS
      listener per bad certificate (`https_wrongname`, `https_notyet`,
      `https_expired`); `proxy`, a forward proxy (absolute-URI requests and
      CONNECT) that sends every request to 127.0.0.1 on the port of the
      requested URL, whatever its host; and `refused`, a port that is bound
      but never listens. Prints the ports as one JSON line once everything
      listens, then prints nothing more; runs until killed.
  late --root DIR --log FILE --delay S
      Binds a port, prints it, and only starts listening S seconds later
      (until then connections are refused); then serves as `http`.
  freeport
      Prints a UDP port that was free a moment ago (for in.tftpd).
  tftp-probe --port P --file NAME [--timeout S]
      Exits 0 once a TFTP server on 127.0.0.1:P answers a read request.

The HTTP(S) routes (every path below may be followed by anything, so each
test case puts its name in the path; n-counters count per path + query):

  /<file>                          the file under --root (404 if missing)
  /status/<code>/...               that status, no content for 204
  /flaky/<code>/<n>/<file>         <code> for the first n requests, then the file
  /slow-headers/<secs>/<file>?n=k  headers after <secs> (first k requests only if n given)
  /hang/...                        reads the request, never answers
  /reset-mid-body/<file>?n=k       headers, half the body, then a TCP reset
                                   (first k requests only if n given; then the file)
  /redirect/...?to=URL&code=302    a redirect to URL
  /headers/...                     the request's headers as JSON
  /gzip/<file>                     the file, gzip-compressed (as a resource, not
                                   a Content-Encoding)
  /gzip-truncated/<file>           the first half of that
  /storage/v1/b/<bucket>/o/<escaped object>?alt=media
                                   Google Cloud Storage's media download of
                                   <root>/<bucket>/<object>

Every request is appended to the --log file as one JSON object per line:
{"server", "method", "path" (the request target as sent), "headers" (lower-
case name -> value, repeated names joined with ", "), "raw_headers" ([name,
value] pairs as sent), "time"}. The proxy logs {"server": "proxy", "method",
"path" (absolute URI or CONNECT authority), ...}; a failed TLS handshake logs
{"server", "event": "tls-error", "error"}.
"""

import argparse
import gzip
import http.server
import json
import os
import select
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse


class RequestLog:
    """Appends JSON lines to a file, one writer at a time."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8")

    def write(self, entry):
        entry.setdefault("time", time.time())
        with self.lock:
            self.file.write(json.dumps(entry, sort_keys=True) + "\n")
            self.file.flush()


class Counters:
    """How many times each key (path + query) was requested."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def bump(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


def headers_of(message):
    merged = {}
    for name, value in message.items():
        key = name.lower()
        merged[key] = value if key not in merged else merged[key] + ", " + value
    return merged, [[name, value] for name, value in message.items()]


def truncate_half(data):
    return data[: len(data) // 2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FlintTestServer/1"
    timeout = 60

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):
        self.route(body=True)

    def do_HEAD(self):
        self.route(body=False)

    # --- helpers -------------------------------------------------------------

    def reply(self, code, data=b"", body=True, ctype="application/octet-stream", extra=()):
        self.send_response(code)
        for name, value in extra:
            self.send_header(name, value)
        if code not in (204, 304):
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body and code not in (204, 304) and data:
            self.wfile.write(data)

    def read_file(self, parts):
        rel = urllib.parse.unquote("/".join(parts))
        root = os.path.realpath(self.server.root)
        path = os.path.realpath(os.path.join(root, rel))
        if not (path == root or path.startswith(root + os.sep)) or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def serve_file(self, parts, body, transform=None):
        data = self.read_file(parts)
        if data is None:
            self.reply(404, b"not found\n", body, "text/plain")
            return
        self.reply(200, transform(data) if transform else data, body)

    def first_k(self, query):
        """Whether this request is among the first ?n= ones (all if no n)."""
        count = self.server.counters.bump(self.path)
        if "n" not in query:
            return True
        return count <= int(query["n"][0])

    def reset_connection(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        # makefile() holds a reference: close it first so close() really closes
        # the descriptor, which with a zero linger time sends a reset.
        self.rfile.close()
        self.connection.close()

    # --- routes --------------------------------------------------------------

    def route(self, body):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")[1:]
        query = urllib.parse.parse_qs(url.query)
        merged, raw = headers_of(self.headers)
        self.server.log.write({"server": self.server.name, "method": self.command, "path": self.path,
                               "headers": merged, "raw_headers": raw})
        head = parts[0] if parts else ""
        rest = parts[1:]
        if head == "status" and rest:
            code = int(rest[0])
            self.reply(code, b"" if code == 204 else b"status %d\n" % code, body, "text/plain")
        elif head == "flaky" and len(rest) >= 3:
            code, n = int(rest[0]), int(rest[1])
            if self.server.counters.bump(self.path) <= n:
                self.reply(code, b"status %d\n" % code, body, "text/plain")
            else:
                self.serve_file(rest[2:], body)
        elif head == "slow-headers" and len(rest) >= 2:
            if self.first_k(query):
                time.sleep(float(rest[0]))
            self.serve_file(rest[1:], body)
        elif head == "hang":
            time.sleep(300)
            self.close_connection = True
        elif head == "reset-mid-body" and rest:
            data = self.read_file(rest)
            if data is None:
                self.reply(404, b"not found\n", body, "text/plain")
            elif not self.first_k(query):
                self.reply(200, data, body)
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                time.sleep(0.3)  # let the client read the half before the reset
                self.reset_connection()
        elif head == "redirect":
            code = int(query.get("code", ["302"])[0])
            self.reply(code, b"redirect\n", body, "text/plain", extra=[("Location", query["to"][0])])
        elif head == "headers":
            data = json.dumps({"headers": merged, "raw_headers": raw}, sort_keys=True).encode() + b"\n"
            self.reply(200, data, body, "application/json")
        elif head == "gzip" and rest:
            self.serve_file(rest, body, lambda d: gzip.compress(d, mtime=0))
        elif head == "gzip-truncated" and rest:
            self.serve_file(rest, body, lambda d: truncate_half(gzip.compress(d, mtime=0)))
        elif head == "storage" and len(parts) == 6 and parts[1:3] == ["v1", "b"] and parts[4] == "o":
            if query.get("alt") != ["media"]:
                self.reply(400, b"alt=media missing\n", body, "text/plain")
            else:
                self.serve_file([parts[3], parts[5]], body)  # the object name is unescaped there
        else:
            self.serve_file(parts, body)


class HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, name, root, log, counters, address=("127.0.0.1", 0), activate=True):
        self.name, self.root, self.log, self.counters = name, root, log, counters
        super().__init__(address, Handler, bind_and_activate=False)
        self.server_bind()
        if activate:
            self.server_activate()

    @property
    def port(self):
        return self.server_address[1]


class HTTPSServer(HTTPServer):
    def __init__(self, name, root, log, counters, cert, key):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        super().__init__(name, root, log, counters)

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.settimeout(60)
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def finish_request(self, request, client_address):
        # In the connection's own thread, so a slow client blocks nobody.
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError) as e:
            self.log.write({"server": self.name, "event": "tls-error", "error": str(e)})
            return
        super().finish_request(request, client_address)


class ProxyHandler(socketserver.StreamRequestHandler):
    timeout = 60

    def handle(self):
        line = self.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
        if not line:
            return
        headers = []
        while True:
            h = self.rfile.readline(65537).decode("latin-1").rstrip("\r\n")
            if not h:
                break
            name, _, value = h.partition(":")
            headers.append([name.strip(), value.strip()])
        method, target, _ = (line.split(" ") + ["", ""])[:3]
        merged = {}
        for name, value in headers:
            merged[name.lower()] = value if name.lower() not in merged else merged[name.lower()] + ", " + value
        self.server.log.write({"server": "proxy", "method": method, "path": target, "headers": merged,
                               "raw_headers": headers})
        if method == "CONNECT":
            _, _, port = target.rpartition(":")
            try:
                upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
            except (OSError, ValueError):
                self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.relay(upstream, both_ways=True)
            return
        url = urllib.parse.urlsplit(target)
        if url.scheme != "http" or not url.netloc:
            self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", url.port or 80), timeout=10)
        except OSError:
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        hop = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}
        out = "%s %s HTTP/1.1\r\n" % (method, path)
        out += "".join("%s: %s\r\n" % (n, v) for n, v in headers if n.lower() not in hop)
        out += "Connection: close\r\n\r\n"
        upstream.sendall(out.encode("latin-1"))
        self.relay(upstream, both_ways=False)

    def relay(self, upstream, both_ways):
        """Copies bytes until a side closes; with both_ways, client bytes go upstream too."""
        client = self.connection
        socks = [client, upstream] if both_ways else [upstream]
        try:
            while True:
                ready, _, _ = select.select(socks, [], [], 60)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()


class ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, log):
        self.log = log
        super().__init__(("127.0.0.1", 0), ProxyHandler)


def ready(line):
    """Prints the ready line, then sends stdout to /dev/null (the reader has gone)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)


def start(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()


def cmd_serve(args):
    log = RequestLog(args.log)
    counters = Counters()
    servers = {"http": HTTPServer("http", args.root, log, counters)}
    for name, cert in [("https", "server"), ("https_wrongname", "wrongname"), ("https_notyet", "notyet"),
                       ("https_expired", "expired")]:
        servers[name] = HTTPSServer(name, args.root, log, counters,
                                    os.path.join(args.tls, cert + ".pem"), os.path.join(args.tls, cert + ".key"))
    servers["proxy"] = ProxyServer(log)
    for s in servers.values():
        start(s)
    refused = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    refused.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    ports = {name: s.server_address[1] for name, s in servers.items()}
    ports["refused"] = refused.getsockname()[1]
    ready(json.dumps(ports, sort_keys=True))
    threading.Event().wait()


def cmd_late(args):
    log = RequestLog(args.log)
    server = HTTPServer("late", args.root, log, Counters(), activate=False)
    ready(str(server.port))
    time.sleep(args.delay)
    server.server_activate()
    server.serve_forever()


def cmd_freeport(_args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def cmd_tftp_probe(args):
    # RRQ: opcode 1, file name, mode; any DATA (3) or ERROR (5) reply means the server is up.
    rrq = struct.pack("!H", 1) + args.file.encode() + b"\0octet\0"
    deadline = time.monotonic() + args.timeout
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    while time.monotonic() < deadline:
        s.sendto(rrq, ("127.0.0.1", args.port))
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            continue
        except ConnectionRefusedError:
            time.sleep(0.1)
            continue
        if data[:2] in (b"\0\3", b"\0\5"):
            if data[:2] == b"\0\3":  # stop the transfer politely
                s.sendto(struct.pack("!HH", 5, 0) + b"probe done\0", _)
            return 0
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--root", required=True)
    s.add_argument("--tls", required=True)
    s.add_argument("--log", required=True)
    s = sub.add_parser("late")
    s.add_argument("--root", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--delay", type=float, required=True)
    sub.add_parser("freeport")
    s = sub.add_parser("tftp-probe")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--file", required=True)
    s.add_argument("--timeout", type=float, default=5)
    args = p.parse_args()
    return {"serve": cmd_serve, "late": cmd_late, "freeport": cmd_freeport, "tftp-probe": cmd_tftp_probe}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main() or 0)
