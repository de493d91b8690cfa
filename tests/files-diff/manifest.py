#!/usr/bin/env python3
"""Prints a comparable manifest of a scratch root, one line per fact, sorted.

Usage: manifest.py ROOT [--subst PATH=TOKEN ...]

Each entry below ROOT (not ROOT itself, symlinks not followed) gives
    <path> <type> <mode> <uid>:<gid> <details>
with type f (details: size, sha256 prefix, a preview of short contents and,
when other paths in the tree share the inode, `hardlink=<first such path>`),
d, l (details: `-> target`), p, s, c, b. Paths are relative to ROOT.
A path or link target that starts with a --subst PATH (longest first) has
that prefix replaced by TOKEN, so roots made for different runs compare.

Normalised, because they legitimately differ between two runs:
  etc/.ignition-result.json  mode, owner and the sorted top-level JSON keys only
  etc/passwd, group, shadow, gshadow, subuid, subgid
                             one `line` fact per line, as a sorted set
                             (shadow: field 3, the day of the last change, is `@DAY@`)
  etc/*- (shadow-utils backups of those)
                             existence and type only
  etc/systemd/system-preset/20-ignition.preset
                             one `line` fact per line, sorted (2.14 writes them in
                             random order)
"""

import hashlib
import json
import os
import stat
import sys

LINE_SETS = {"etc/passwd", "etc/group", "etc/shadow", "etc/gshadow", "etc/subuid", "etc/subgid"}
BACKUPS = {p + "-" for p in LINE_SETS}
PRESET = "etc/systemd/system-preset/20-ignition.preset"
RESULT = "etc/.ignition-result.json"


def esc(s):
    return s.encode("unicode_escape").decode("ascii")


def escp(s):  # a path: no spaces, so the fields stay separable
    return esc(s).replace(" ", "\\x20")


def main():
    root = sys.argv[1]
    substs = []
    args = sys.argv[2:]
    while args:
        if args[0] == "--subst":
            p, t = args[1].split("=", 1)
            substs.append((p, t))
            args = args[2:]
        else:
            sys.exit("usage: manifest.py ROOT [--subst PATH=TOKEN ...]")
    substs.sort(key=lambda x: -len(x[0]))

    def sub(s):  # s: a root-relative path or a link target; only a leading PATH is replaced
        for p, t in substs:
            for pre in (p, p.lstrip("/")):
                if s == pre or s.startswith(pre.rstrip("/") + "/"):
                    return t + s[len(pre):]
        return s

    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            entries.append((os.path.relpath(full, root), full))
    inodes = {}
    for rel, full in entries:
        st = os.lstat(full)
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            inodes.setdefault((st.st_dev, st.st_ino), []).append(sub(rel))

    out = []
    for rel, full in entries:
        st = os.lstat(full)
        path = sub(rel)
        mode = "%04o" % stat.S_IMODE(st.st_mode)
        owner = "%d:%d" % (st.st_uid, st.st_gid)
        m = st.st_mode
        if rel in BACKUPS:
            out.append("%s backup-exists %s" % (escp(path), "f" if stat.S_ISREG(m) else "other"))
            continue
        if stat.S_ISDIR(m):
            out.append("%s d %s %s" % (escp(path), mode, owner))
        elif stat.S_ISLNK(m):
            out.append("%s l %s %s -> %s" % (escp(path), mode, owner, esc(sub(os.readlink(full)))))
        elif stat.S_ISREG(m):
            with open(full, "rb") as f:
                data = f.read()
            if rel == RESULT:
                try:
                    keys = ",".join(sorted(json.loads(data).keys()))
                except Exception as e:  # noqa: BLE001
                    keys = "unparsable(%s)" % type(e).__name__
                out.append("%s f %s %s result-keys=%s" % (escp(path), mode, owner, keys))
                continue
            if rel in LINE_SETS or rel == PRESET:
                out.append("%s f %s %s lines" % (escp(path), mode, owner))
                for line in data.decode("utf-8", "replace").splitlines():
                    if rel == "etc/shadow":
                        fields = line.split(":")
                        if len(fields) > 2:
                            fields[2] = "@DAY@"
                        line = ":".join(fields)
                    out.append("%s line %s" % (escp(path), esc(line)))
                continue
            detail = "size=%d sha256=%s" % (len(data), hashlib.sha256(data).hexdigest()[:16])
            if len(data) <= 64:
                detail += " data=%s" % esc(data.decode("utf-8", "replace"))
            group = inodes.get((st.st_dev, st.st_ino), [])
            if len(group) > 1:
                detail += " hardlink=%s" % escp(min(group))
            out.append("%s f %s %s %s" % (escp(path), mode, owner, detail))
        else:
            t = "p" if stat.S_ISFIFO(m) else "s" if stat.S_ISSOCK(m) else "c" if stat.S_ISCHR(m) else "b" if stat.S_ISBLK(m) else "?"
            out.append("%s %s %s %s" % (escp(path), t, mode, owner))
    for line in sorted(out):
        print(line)


if __name__ == "__main__":
    main()
