#!/usr/bin/env python3
"""Writes a deterministic ~20 MB spec-3.3.0 Ignition config for bench/validate.

Tens of thousands of entries: files with inline data: URLs, modes, owners and
sha512 verification; directories; symlinks; systemd units with drop-ins; users
with SSH keys and groups. The config is valid for Ignition 2.14's
ignition-validate (bench/validate/run checks that). Same bytes on every run.

Usage: gen.py OUTPUT [--scale F]   (F multiplies every entry count; default 1)
"""

import base64
import hashlib
import json
import random
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    scale = float(sys.argv[sys.argv.index("--scale") + 1]) if "--scale" in sys.argv else 1.0
    rng = random.Random(424242)
    n_files, n_dirs, n_links = int(20000 * scale), int(5000 * scale), int(2000 * scale)
    n_units, n_users, n_groups = int(3000 * scale), int(3000 * scale), int(500 * scale)

    def blob(n):
        return bytes(rng.getrandbits(8) for _ in range(n))

    dirs = [{"path": f"/srv/d{i // 100:03d}/sub{i:05d}", "mode": rng.choice([0o755, 0o750, 0o700]),
             "user": {"id": 1000 + i % 50}, "group": {"name": f"grp{i % 40}"}} for i in range(n_dirs)]
    files = []
    for i in range(n_files):
        data = blob(rng.randrange(100, 500))
        f = {"path": f"/var/lib/bench/f{i // 500:03d}/file{i:06d}.bin", "mode": rng.choice([0o644, 0o600, 0o755]),
             "overwrite": i % 3 == 0,
             "contents": {"source": "data:;base64," + base64.b64encode(data).decode(),
                          "verification": {"hash": "sha512-" + hashlib.sha512(data).hexdigest()}}}
        if i % 4 == 0:
            f["user"] = {"name": f"user{i % n_users:05d}"}
            f["group"] = {"id": 100 + i % 7}
        if i % 10 == 0:
            f["contents"]["compression"] = ""
            f["append"] = [{"source": "data:,appended%20line%0A"}]
        files.append(f)
    links = [{"path": f"/usr/local/bench/l{i:05d}", "target": files[i * 7 % n_files]["path"],
              "hard": i % 5 == 0, "overwrite": i % 2 == 0} for i in range(n_links)]
    units = []
    for i in range(n_units):
        units.append({
            "name": f"bench-{i:05d}.service", "enabled": i % 2 == 0,
            "contents": (f"[Unit]\nDescription=Benchmark unit {i}\nAfter=network-online.target\n"
                         f"Wants=network-online.target\n\n[Service]\nType=oneshot\n"
                         f"ExecStart=/usr/bin/bench --id {i} --mode {rng.choice(['a', 'b', 'c'])}\n"
                         f"Environment=BENCH_ID={i}\nRemainAfterExit=yes\n\n[Install]\nWantedBy=multi-user.target\n"),
            "dropins": [
                {"name": "10-limits.conf", "contents": f"[Service]\nLimitNOFILE={1024 + i}\nMemoryMax={i % 64 + 1}M\n"},
                {"name": "20-env.conf", "contents": f"[Service]\nEnvironment=EXTRA={i:x}\n"},
            ]})
    users = []
    for i in range(n_users):
        keys = ["ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + blob(32)).decode()
                + f" user{i}@bench{k}" for k in range(2)]
        keys.append("ssh-rsa " + base64.b64encode(blob(270)).decode() + f" user{i}@rsa")
        users.append({"name": f"user{i:05d}", "uid": 10000 + i, "gecos": f"Bench user {i}",
                      "homeDir": f"/home/user{i:05d}", "shell": "/bin/bash",
                      "groups": [f"grp{i % 40}", f"grp{(i + 1) % 40}"],
                      "passwordHash": "$6$" + base64.b64encode(blob(12)).decode().rstrip("=") + "$" +
                                      base64.b64encode(blob(60)).decode().rstrip("="),
                      "sshAuthorizedKeys": keys})
    groups = [{"name": f"grp{i}", "gid": 5000 + i, "system": i % 2 == 0} for i in range(n_groups)]
    cfg = {
        "ignition": {"version": "3.3.0", "timeouts": {"httpTotal": 600}},
        "kernelArguments": {"shouldExist": [f"bench.arg{i}=1" for i in range(100)],
                            "shouldNotExist": ["quiet", "rhgb"]},
        "passwd": {"users": users, "groups": groups},
        "storage": {"directories": dirs, "files": files, "links": links},
        "systemd": {"units": units},
    }
    text = json.dumps(cfg, indent=1)
    with open(out, "w") as fh:
        fh.write(text + "\n")
    print(f"wrote {out}: {len(text) / 1e6:.1f} MB, {n_files} files, {n_dirs} directories, {n_links} links, "
          f"{n_units} units ({2 * n_units} drop-ins), {n_users} users, {n_groups} groups")


if __name__ == "__main__":
    main()
