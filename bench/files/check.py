#!/usr/bin/env python3
"""Checks what a files stage wrote into ROOT against gen.py's manifest.

Usage: check.py ROOT MANIFEST PATHS

Failures (exit 1, one line each on stderr, at most 10): a missing file under
the prefix, an extra one, wrong size or content (sha256), a missing or
non-directory directory, a user or group missing from etc/passwd / etc/group,
a missing home file, unit, drop-in or mask link, no .ssh directory for a user
with SSH keys. Warnings (exit 0, one summary line on stdout): modes or owners
that differ from the config. Writes every path under ROOT, sorted, one
"TYPE MODE UID GID PATH" line each (TYPE: f, d, l, o), to PATHS, for
comparing two implementations' trees.
"""

import hashlib
import json
import os
import stat
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    root, mpath, out = sys.argv[1:]
    with open(mpath) as f:
        m = json.load(f)
    errors, warnings = [], []

    def err(msg):
        errors.append(msg)

    def rel(p):
        return os.path.join(root, p.lstrip("/"))

    passwd = {}
    try:
        with open(rel("/etc/passwd")) as f:
            for line in f:
                p = line.rstrip("\n").split(":")
                if len(p) >= 4:
                    passwd[p[0]] = (int(p[2]), int(p[3]))
    except OSError as e:
        err(f"etc/passwd: {e}")
    groups = {}
    try:
        with open(rel("/etc/group")) as f:
            for line in f:
                p = line.rstrip("\n").split(":")
                if len(p) >= 3:
                    groups[p[0]] = int(p[2])
    except OSError as e:
        err(f"etc/group: {e}")
    for u in m["users"]:
        if u not in passwd:
            err(f"user {u} not in etc/passwd")
    for g in m["groups"]:
        if g not in groups:
            err(f"group {g} not in etc/group")

    expected = {f["path"]: f for f in m["files"]}
    found = set()
    for dirpath, dirnames, filenames in os.walk(rel(m["prefix"])):
        for n in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            found.add("/" + os.path.relpath(os.path.join(dirpath, n), root))
    for p in sorted(found - expected.keys()):
        err(f"unexpected {p}")
    for p, f in expected.items():
        if p not in found:
            err(f"missing {p}")
            continue
        full = rel(p)
        st = os.lstat(full)
        if not stat.S_ISREG(st.st_mode):
            err(f"{p}: not a regular file")
            continue
        if st.st_size != f["size"]:
            err(f"{p}: size {st.st_size}, expected {f['size']}")
            continue
        with open(full, "rb") as fh:
            if hashlib.sha256(fh.read()).hexdigest() != f["sha256"]:
                err(f"{p}: wrong content")
                continue
        if stat.S_IMODE(st.st_mode) != f["mode"]:
            warnings.append(f"{p}: mode {stat.S_IMODE(st.st_mode):o}, config {f['mode']:o}")
    for d in m["dirs"]:
        try:
            st = os.lstat(rel(d["path"]))
        except OSError:
            err(f"missing directory {d['path']}")
            continue
        if not stat.S_ISDIR(st.st_mode):
            err(f"{d['path']}: not a directory")
        elif stat.S_IMODE(st.st_mode) != d["mode"]:
            warnings.append(f"{d['path']}: mode {stat.S_IMODE(st.st_mode):o}, config {d['mode']:o}")
    for h in m["home_files"]:
        try:
            st = os.lstat(rel(h["path"]))
        except OSError:
            err(f"missing {h['path']}")
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_size != h["size"]:
            err(f"{h['path']}: not a regular file of {h['size']} bytes")
            continue
        if h["user"] in passwd and st.st_uid != passwd[h["user"]][0]:
            warnings.append(f"{h['path']}: uid {st.st_uid}, user {h['user']} is {passwd[h['user']][0]}")
        if h["group"] and h["group"] in groups and st.st_gid != groups[h["group"]]:
            warnings.append(f"{h['path']}: gid {st.st_gid}, group {h['group']} is {groups[h['group']]}")
        if stat.S_IMODE(st.st_mode) != h["mode"]:
            warnings.append(f"{h['path']}: mode {stat.S_IMODE(st.st_mode):o}, config {h['mode']:o}")
    for u in m["units"]:
        if not os.path.isfile(rel(u)) or os.path.islink(rel(u)):
            err(f"missing unit file {u}")
    for link in m["links"]:
        try:
            if os.readlink(rel(link["path"])) != link["target"]:
                err(f"{link['path']}: not a link to {link['target']}")
        except OSError:
            err(f"{link['path']}: not a link to {link['target']}")
    for u in m["ssh_users"]:
        if not os.path.isdir(rel(f"/home/{u}/.ssh")):
            err(f"no /home/{u}/.ssh")

    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            full = os.path.join(dirpath, n)
            st = os.lstat(full)
            t = "d" if stat.S_ISDIR(st.st_mode) else "f" if stat.S_ISREG(st.st_mode) else "l" if stat.S_ISLNK(st.st_mode) else "o"
            lines.append(f"{t} {stat.S_IMODE(st.st_mode):04o} {st.st_uid} {st.st_gid} /{os.path.relpath(full, root)}")
    lines.sort(key=lambda s: s.split(" ", 4)[4])
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")

    for e in errors[:10]:
        print(e, file=sys.stderr)
    if len(errors) > 10:
        print(f"... and {len(errors) - 10} more", file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} mode/owner differences from the config, first: {warnings[0]}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
