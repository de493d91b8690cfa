#!/usr/bin/env python3
"""Just enough of systemd's private D-Bus socket for Ignition 2.14's files stage.

Usage: fake-systemd-bus.py SOCKET VERSION

When a config has instance units (foo@a.service), Ignition 2.14 asks the
running systemd for its version over /run/systemd/private
(go-systemd dbus.NewSystemdConnection, then Properties.Get of
org.freedesktop.systemd1.Manager.Version) and fails the stage when there is
no systemd, as in a container. tests/files-diff/run starts this server on a
socket in its scratch directory and runs Ignition in a private mount
namespace in which that directory is bind-mounted over /run/systemd, so the
host's /run/systemd is never touched.

Protocol: the SASL exchange godbus does (AUTH -> REJECTED EXTERNAL, AUTH
EXTERNAL -> OK, NEGOTIATE_UNIX_FD -> AGREE_UNIX_FD, BEGIN), then every method
call gets a method return: `Get` returns the variant string VERSION,
`Hello` a unique name, any other call an empty return. Little-endian messages only (godbus sends 'l').
Runs until killed; python3 standard library only.
"""

import os
import socket
import struct
import sys
import threading


def pad(buf, align):
    return buf + b"\0" * ((-len(buf)) % align)


def method_return(reply_serial, serial, body_sig, body):
    fields = b""
    # REPLY_SERIAL (5) : u
    fields = pad(fields, 8) + bytes([5, 1]) + b"u\0" + struct.pack("<I", reply_serial)
    if body_sig:
        # SIGNATURE (8) : g
        fields = pad(fields, 8) + bytes([8, 1]) + b"g\0" + bytes([len(body_sig)]) + body_sig.encode() + b"\0"
    header = b"l" + bytes([2, 0, 1]) + struct.pack("<III", len(body), serial, len(fields)) + fields
    return pad(header, 8) + body


def string(value):
    return struct.pack("<I", len(value)) + value.encode() + b"\0"


def variant_string(value):
    return pad(b"\x01s\0", 4) + string(value)  # signature "s", then the string


def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def parse_fields(raw):
    """Header fields of a little-endian message: {code: value} for strings/u32."""
    out = {}
    i = 0
    while i < len(raw):
        i += (-i) % 8
        if i >= len(raw):
            break
        code = raw[i]
        siglen = raw[i + 1]
        sig = raw[i + 2:i + 2 + siglen].decode()
        i += 3 + siglen
        if sig in ("s", "o"):
            i += (-i) % 4
            (n,) = struct.unpack_from("<I", raw, i)
            out[code] = raw[i + 4:i + 4 + n].decode()
            i += 4 + n + 1
        elif sig == "g":
            n = raw[i]
            out[code] = raw[i + 1:i + 1 + n].decode()
            i += 1 + n + 1
        elif sig == "u":
            i += (-i) % 4
            (out[code],) = struct.unpack_from("<I", raw, i)
            i += 4
        else:
            break
    return out


def serve(conn, version):
    try:
        buf = b""
        # SASL: a NUL byte, then CRLF-terminated lines until BEGIN.
        if read_exact(conn, 1) != b"\0":
            return
        while True:
            while b"\r\n" not in buf:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buf += chunk
            line, buf = buf.split(b"\r\n", 1)
            words = line.split()
            if not words:
                continue
            if words[0] == b"AUTH" and len(words) == 1:
                conn.sendall(b"REJECTED EXTERNAL\r\n")
            elif words[0] == b"AUTH" and words[1] == b"EXTERNAL" and len(words) == 2:
                conn.sendall(b"DATA\r\n")  # sd-bus: the identity comes in a DATA line
            elif (words[0] == b"AUTH" and words[1] == b"EXTERNAL") or words[0] == b"DATA":
                conn.sendall(b"OK 0123456789abcdef0123456789abcdef\r\n")
            elif words[0] == b"AUTH":
                conn.sendall(b"REJECTED EXTERNAL\r\n")
            elif words[0] == b"NEGOTIATE_UNIX_FD":
                conn.sendall(b"AGREE_UNIX_FD\r\n")
            elif words[0] == b"BEGIN":
                break
            else:
                conn.sendall(b"ERROR\r\n")
        serial = 1
        while True:
            while len(buf) < 16:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buf += chunk
            if buf[0:1] != b"l":
                return
            mtype, flags = buf[1], buf[2]
            body_len, msg_serial, fields_len = struct.unpack_from("<III", buf, 4)
            header_len = 16 + fields_len + ((-(16 + fields_len)) % 8)
            total = header_len + body_len
            while len(buf) < total:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            fields = parse_fields(buf[16:16 + fields_len])
            buf = buf[total:]
            if mtype != 1 or flags & 1:  # not a method call, or no reply expected
                continue
            member = fields.get(3, "")
            if member == "Get":
                reply = method_return(msg_serial, serial, "v", variant_string(version))
            elif member == "Hello":  # not sent to systemd's private socket; answered for busctl & co
                reply = method_return(msg_serial, serial, "s", string(":1.1"))
            else:
                reply = method_return(msg_serial, serial, "", b"")
            serial += 1
            conn.sendall(reply)
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def main():
    path, version = sys.argv[1], sys.argv[2]
    if os.path.lexists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, version), daemon=True).start()


if __name__ == "__main__":
    main()
