#!/usr/bin/env python3
"""Refuses a case that could make Ignition 2.14 write outside the scratch root.

Usage: safety.py CONFIG ROOT SCRATCH   (exit 0 = safe; else prints why, exit 1)

Ignition resolves symlinks that exist before the stage inside -root, but the
operating system follows links it creates itself (and, for the final path
component, links that were already there) on the HOST. So:
  - every absolute symlink already in ROOT must point to a path that does not
    exist on the host and whose directory does not exist either (or that lies
    inside SCRATCH), so following it on the host finds nothing to write into;
  - a symlink the config creates with an absolute target outside SCRATCH must
    have no other configured path below it, and a relative target must stay
    inside the root.
"""

import json
import os
import sys


def inside(path, top):
    path = os.path.normpath(path)
    return path == top or path.startswith(top.rstrip("/") + "/")


def main():
    cfg_path, root, scratch = sys.argv[1:4]
    scratch = os.path.realpath(scratch)
    problems = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                t = os.readlink(full)
                # (systemd's enablement links in *.wants/*.requires are only removed, never written through)
                if os.path.basename(dirpath).endswith((".wants", ".requires")):
                    continue
                if t.startswith("/") and not inside(t, scratch) and t != "/dev/null":
                    # Neither the target nor its directory may exist, so that not even
                    # an O_CREAT through the link could create something on the host.
                    if os.path.lexists(t) or os.path.lexists(os.path.dirname(t.rstrip("/"))):
                        problems.append("%s -> %s: that path or its directory exists on the host" % (os.path.relpath(full, root), t))
    with open(cfg_path) as f:
        cfg = json.load(f)
    storage = cfg.get("storage") or {}
    paths = [e.get("path", "") for k in ("files", "directories", "links") for e in storage.get(k) or []]
    for link in storage.get("links") or []:
        if link.get("hard"):
            continue
        lp, t = link.get("path", ""), link.get("target", "")
        if t.startswith("/"):
            if inside(t, scratch):
                continue
            below = [p for p in paths if p.startswith(lp.rstrip("/") + "/")]
            if below:
                problems.append("link %s -> %s (a host path) has entries below it: %s" % (lp, t, ", ".join(below)))
        else:
            depth = 0  # followed on the host from <root><dir of link>: ".." must not climb out of <root>
            for comp in [c for c in os.path.dirname(lp).split("/") if c] + t.split("/"):
                if comp == "..":
                    depth -= 1
                elif comp not in ("", "."):
                    depth += 1
                if depth < 0:
                    problems.append("link %s -> %s leaves the root" % (lp, t))
                    break
    if problems:
        print("; ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
