#!/usr/bin/env python3
"""Slow loopback HTTP file server for bench/files: every request is answered
only after DELAY_MS milliseconds, like a remote server with that much latency.

Usage: server.py DIR PORTFILE DELAY_MS LOG

Binds 127.0.0.1 on a free port, writes the port number to PORTFILE, then
serves the files of DIR (GET/HEAD: 200 with Content-Length, or 404) until
killed. One thread per connection (ThreadingHTTPServer, listen backlog 256,
TCP_NODELAY),
so concurrent requests each wait DELAY_MS, in parallel, not one after the
other. Each request appends "START_NS END_NS STATUS METHOD PATH" to LOG
(opened for appending: truncate it between runs to count one run's
requests and their concurrency).
"""

import http.server
import os
import sys
import threading
import time


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: without it, the body sent after the headers waits for the
    # client's delayed ACK (~40 ms on loopback), on top of the 20 ms.
    disable_nagle_algorithm = True

    def _serve(self, body):
        start = time.monotonic_ns()
        time.sleep(self.server.delay)
        name = os.path.basename(self.path.split("?", 1)[0])
        try:
            f = open(os.path.join(self.server.root, name), "rb")
        except OSError:
            f = None
        status = 200 if f else 404
        try:
            if f is None:
                self.send_error(404)
            else:
                with f:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                    self.end_headers()
                    if body:
                        self.wfile.flush()
                        self.connection.sendfile(f)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            status = 499
        end = time.monotonic_ns()
        line = f"{start} {end} {status} {self.command} {self.path}\n"
        with self.server.log_lock:
            with open(self.server.log, "a") as log:
                log.write(line)

    def do_HEAD(self):
        self._serve(False)

    def do_GET(self):
        self._serve(True)

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = sys.argv[1]
    srv.delay = int(sys.argv[3]) / 1000.0
    srv.log = sys.argv[4]
    srv.log_lock = threading.Lock()
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
