#!/usr/bin/env python3
"""A small HTTP server on 127.0.0.1 for tests/files-diff/run.

Usage: server.py DIR PORTFILE
Serves the files under DIR (GET/HEAD; a missing name is a 404), on a free
port chosen by the kernel; writes the port to PORTFILE once listening, then
runs until killed. Requests are not logged. Python 3 standard library only.
"""

import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def list_directory(self, path):  # no listings: a directory is "not found"
        self.send_error(404, "Not Found")
        return None


def main():
    root, portfile = sys.argv[1], sys.argv[2]
    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
