#!/usr/bin/env python3
"""Loopback HTTP file server for bench/fetch: serves the files of DIR with
socket.sendfile (zero-copy), so that the server is not the bottleneck.

Usage: server.py DIR PORTFILE
Binds 127.0.0.1 on a free port, writes the port number to PORTFILE, then
serves GET/HEAD (200 with Content-Length, or 404) until killed.
"""

import http.server
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _open(self):
        name = os.path.basename(self.path.split("?", 1)[0])
        try:
            f = open(os.path.join(self.server.root, name), "rb")
        except OSError:
            self.send_error(404)
            return None
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
        self.end_headers()
        return f

    def do_HEAD(self):
        f = self._open()
        if f:
            f.close()

    def do_GET(self):
        f = self._open()
        if f:
            with f:
                try:
                    self.connection.sendfile(f)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.root = sys.argv[1]
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
