#!/usr/bin/env python3
"""Writes the deterministic workload of bench/files: a spec-3.3.0 config for
the files stage, the payloads its remote files fetch, and a manifest of what
the stage must write.

Usage: gen.py OUTDIR BASE_URL [--files N] [--dirs N] [--remote N] [--users N]

Defaults (the full benchmark): 10 000 inline files, 500 directories, 200
remote files, 20 users. Writes

  OUTDIR/config.ign     the config (spec 3.3.0, ~10 MB at the defaults)
  OUTDIR/remote/        the remote payloads, served at BASE_URL/<name>
  OUTDIR/manifest.json  what check.py verifies after a run

The config (same bytes for the same arguments and BASE_URL; random.Random(20240611)):

  storage.directories  N directories /opt/bench/gGG/dDDDD (25 per group;
                       every 7th 0750, every 11th 0700, every 13th 0775)
  storage.files        the inline files spread round-robin over them: text
                       or binary of 40 B-4 KiB (log-uniform) as data: URLs -
                       55 % percent-encoded text, 35 % base64, 10 % gzip +
                       base64 (compression: gzip); 30 % have a mode (0600,
                       0640, 0755), 10 % a sha512 or sha256 verification.
                       Then the remote files (1 KiB-256 KiB, log-uniform,
                       half text, half random bytes) from BASE_URL: 30 % are
                       gzip-compressed (compression: gzip), 50 % have a sha512
                       verification. Then one file per user in its home
                       (/home/NAME/.bench.conf), owned by the user by name.
  passwd.groups        bench-ops (gid 3001), bench-dev, bench-audit (system)
  passwd.users         userNN: half with 1-3 SSH keys, a third with
                       supplementary groups, some with uid, password hash,
                       gecos, shell, primary group "users"
  systemd.units        5: two enabled services, a disabled timer, a masked
                       service, a service with two drop-ins
"""

import argparse
import base64
import gzip
import hashlib
import json
import os
import random
import struct
import urllib.parse

SEED = 20240611
PREFIX = "/opt/bench"
DIRS_PER_GROUP = 25


def words(rng):
    syll = ["ka", "to", "ri", "mon", "sel", "ex", "dat", "ver", "lin", "qu", "pro", "nd", "ast", "fi", "os", "um"]
    return ["".join(rng.choice(syll) for _ in range(rng.randrange(1, 5))) for _ in range(500)]


def text(rng, vocab, size):
    out, n = [], 0
    while n < size:
        r = rng.random()
        if r < 0.4:
            line = f"{rng.choice(vocab)}_{rng.choice(vocab)} = {rng.choice(vocab)}"
        elif r < 0.6:
            line = f"# {' '.join(rng.choices(vocab, k=rng.randrange(3, 10)))}"
        elif r < 0.8:
            line = f"{rng.choice(vocab)}={rng.randrange(1 << 20)} path=/var/lib/{rng.choice(vocab)}/{rng.choice(vocab)}"
        else:
            line = f"[{rng.choice(vocab)}] \"{' '.join(rng.choices(vocab, k=3))}\" 100% & <ok>"
        out.append(line)
        n += len(line) + 1
    return ("\n".join(out) + "\n")[:size].encode()


def log_uniform(rng, lo, hi):
    return int(lo * (hi / lo) ** rng.random())


def ssh_key(rng, comment):
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + rng.randbytes(32)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("base_url")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--dirs", type=int, default=500)
    ap.add_argument("--remote", type=int, default=200)
    ap.add_argument("--users", type=int, default=20)
    a = ap.parse_args()
    if a.dirs < 1 or a.files < 0 or a.remote < 0 or a.users < 0:
        ap.error("bad sizes")

    rng = random.Random(SEED)
    vocab = words(rng)
    os.makedirs(os.path.join(a.outdir, "remote"), exist_ok=True)
    manifest = {"prefix": PREFIX, "files": [], "dirs": [], "users": [], "groups": [],
                "ssh_users": [], "home_files": [], "units": [], "links": []}

    dirs = []
    directories = []
    for d in range(a.dirs):
        path = f"{PREFIX}/g{d // DIRS_PER_GROUP:02d}/d{d:04d}"
        entry = {"path": path}
        mode = None
        if d % 13 == 5:
            mode = 0o775
        elif d % 11 == 3:
            mode = 0o700
        elif d % 7 == 1:
            mode = 0o750
        if mode is not None:
            entry["mode"] = mode
        directories.append(entry)
        dirs.append(path)
        manifest["dirs"].append({"path": path, "mode": mode if mode is not None else 0o755})
    for g in range((a.dirs + DIRS_PER_GROUP - 1) // DIRS_PER_GROUP):
        manifest["dirs"].append({"path": f"{PREFIX}/g{g:02d}", "mode": 0o755})

    files = []
    exts = [".conf", ".txt", ".json", ".yaml", ".sh", ".bin", ".pem", ".env"]
    for i in range(a.files):
        d = dirs[i % len(dirs)]
        size = log_uniform(rng, 40, 4096)
        ext = rng.choice(exts)
        binary = ext in (".bin",)
        data = rng.randbytes(size) if binary else text(rng, vocab, size)
        r = rng.random()
        entry = {"path": f"{d}/f{i:05d}{ext}", "contents": {}}
        if r < 0.10:
            entry["contents"]["source"] = "data:;base64," + base64.b64encode(gzip.compress(data, 6, mtime=0)).decode()
            entry["contents"]["compression"] = "gzip"
        elif r < 0.45 or binary:
            mime = rng.choice(["", "application/octet-stream", "text/plain;charset=utf-8"])
            entry["contents"]["source"] = f"data:{mime};base64," + base64.b64encode(data).decode()
        else:
            entry["contents"]["source"] = "data:," + urllib.parse.quote(data, safe="")
        if rng.random() < 0.10:
            alg = rng.choice(["sha512", "sha256"])
            entry["contents"]["verification"] = {"hash": f"{alg}-{hashlib.new(alg, data).hexdigest()}"}
        mode = None
        if rng.random() < 0.30:
            mode = 0o755 if ext == ".sh" else rng.choice([0o600, 0o640, 0o755])
            entry["mode"] = mode
        files.append(entry)
        manifest["files"].append({"path": entry["path"], "size": len(data),
                                  "sha256": hashlib.sha256(data).hexdigest(),
                                  "mode": mode if mode is not None else 0o644})

    for i in range(a.remote):
        d = dirs[(i * 7 + 3) % len(dirs)]
        size = log_uniform(rng, 1024, 256 * 1024)
        data = text(rng, vocab, size) if i % 2 == 0 else rng.randbytes(size)
        name = f"r{i:04d}.dat"
        entry = {"path": f"{d}/{name}", "contents": {}}
        if rng.random() < 0.30:
            name += ".gz"
            payload = gzip.compress(data, 6, mtime=0)
            entry["contents"]["compression"] = "gzip"
        else:
            payload = data
        with open(os.path.join(a.outdir, "remote", name), "wb") as f:
            f.write(payload)
        entry["contents"]["source"] = f"{a.base_url}/{name}"
        if rng.random() < 0.50:
            entry["contents"]["verification"] = {"hash": "sha512-" + hashlib.sha512(data).hexdigest()}
        files.append(entry)
        manifest["files"].append({"path": entry["path"], "size": len(data),
                                  "sha256": hashlib.sha256(data).hexdigest(), "mode": 0o644})

    groups = [{"name": "bench-ops", "gid": 3001}, {"name": "bench-dev"}, {"name": "bench-audit", "system": True}]
    manifest["groups"] = [g["name"] for g in groups]
    supplementary = [["wheel", "bench-ops"], ["users"], ["adm", "bench-dev", "bench-audit"]]
    users = []
    for i in range(1, a.users + 1):
        name = f"user{i:02d}"
        u = {"name": name}
        if i % 2 == 0:
            u["sshAuthorizedKeys"] = [ssh_key(rng, f"{name}@bench-{k}") for k in range(1 + i % 3)]
            manifest["ssh_users"].append(name)
        if i % 3 == 0:
            u["groups"] = supplementary[(i // 3) % 3]
        if i % 4 == 1:
            u["uid"] = 2000 + i
        if i % 5 == 2:
            u["passwordHash"] = "$6$bench" + f"{i:02d}" + "$" + base64.b64encode(rng.randbytes(64)).decode().rstrip("=").replace("+", ".")[:86]
        if i % 6 == 4:
            u["gecos"] = f"Bench User {i}"
        if i % 7 == 5:
            u["shell"] = "/bin/sh"
        own_group = True
        if i % 9 == 2:
            u["primaryGroup"] = "users"
            own_group = False
        users.append(u)
        manifest["users"].append(name)
        home = {"path": f"/home/{name}/.bench.conf", "user": {"name": name}, "mode": 0o600,
                "contents": {"source": "data:," + urllib.parse.quote(f"user={name}\n")}}
        if own_group:
            home["group"] = {"name": name}
        files.append(home)
        manifest["home_files"].append({"path": home["path"], "user": name, "group": name if own_group else None,
                                       "size": len(f"user={name}\n"), "mode": 0o600})

    units = [
        {"name": "bench-a.service", "enabled": True,
         "contents": "[Unit]\nDescription=bench a\n[Service]\nType=oneshot\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"},
        {"name": "bench-b.service", "enabled": True,
         "contents": "[Unit]\nDescription=bench b\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"},
        {"name": "bench-c.timer", "enabled": False,
         "contents": "[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n"},
        {"name": "bench-d.service", "mask": True},
        {"name": "bench-e.service",
         "contents": "[Service]\nExecStart=/bin/true\n",
         "dropins": [{"name": "10-env.conf", "contents": "[Service]\nEnvironment=A=1\n"},
                     {"name": "20-limits.conf", "contents": "[Service]\nLimitNOFILE=65536\n"}]},
    ]
    manifest["units"] = ["/etc/systemd/system/bench-a.service", "/etc/systemd/system/bench-b.service",
                         "/etc/systemd/system/bench-c.timer", "/etc/systemd/system/bench-e.service",
                         "/etc/systemd/system/bench-e.service.d/10-env.conf",
                         "/etc/systemd/system/bench-e.service.d/20-limits.conf"]
    manifest["links"] = [{"path": "/etc/systemd/system/bench-d.service", "target": "/dev/null"}]

    config = {
        "ignition": {"version": "3.3.0"},
        "passwd": {"users": users, "groups": groups},
        "storage": {"directories": directories, "files": files},
        "systemd": {"units": units},
    }
    with open(os.path.join(a.outdir, "config.ign"), "w") as f:
        json.dump(config, f, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(a.outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main()
