#!/usr/bin/env python3
"""Writes the deterministic, gzip-compressed payload for bench/fetch.

The decompressed content is SIZE MiB made of 64 KiB blocks, each picked by a
seeded PRNG (random.Random(20240605)), imitating a mixed filesystem image:

  - 40 %  random bytes          (already-compressed data: images, packed binaries)
  - 45 %  text                  (log/config-like lines of words from a 2 000-word
                                 Zipf-weighted vocabulary, numbers, paths)
  - 15 %  sparse binary         (zero runs with scattered small records)

gzip -6 compresses the whole to about 1.8:1 (~2:1). Same bytes on every run for
the same SIZE (a smaller SIZE is a prefix of a larger one).

Usage: gen.py OUT.gz SIZE_MIB
Writes OUT.gz (gzip -6 -n) and prints the sha512 hex of the decompressed bytes.
"""

import hashlib
import random
import subprocess
import sys

BLOCK = 64 * 1024


def text_pool(rng, size):
    syll = ["ka", "to", "ri", "mon", "sel", "ex", "dat", "ver", "lin", "qu", "pro", "nd", "ast", "fi", "os", "um"]
    words = ["".join(rng.choice(syll) for _ in range(rng.randrange(1, 5))) for _ in range(2000)]
    weights = [1.0 / (i + 1) for i in range(len(words))]
    out, n = [], 0
    while n < size:
        k = rng.randrange(4, 14)
        line = " ".join(rng.choices(words, weights, k=k))
        r = rng.random()
        if r < 0.3:
            line = f"{rng.randrange(10**9):09d} {line} {rng.randrange(65536):#06x}"
        elif r < 0.5:
            line = f"/usr/lib/{rng.choice(words)}/{rng.choice(words)}.so.{rng.randrange(9)}: {line}"
        out.append(line)
        n += len(line) + 1
    return ("\n".join(out) + "\n").encode()[:size]


def sparse_block(rng):
    b = bytearray(BLOCK)
    for _ in range(rng.randrange(8, 64)):
        off = rng.randrange(0, BLOCK - 64)
        b[off:off + 32] = rng.randbytes(32)
    return bytes(b)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, size_mib = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20240605)
    pool = text_pool(rng, 4 << 20)
    h = hashlib.sha512()
    with open(out, "wb") as f:
        gz = subprocess.Popen(["gzip", "-6", "-n", "-c"], stdin=subprocess.PIPE, stdout=f)
        for _ in range(size_mib * (1 << 20) // BLOCK):
            r = rng.random()
            if r < 0.40:
                b = rng.randbytes(BLOCK)
            elif r < 0.85:
                off = rng.randrange(0, len(pool) - BLOCK)
                b = pool[off:off + BLOCK]
            else:
                b = sparse_block(rng)
            h.update(b)
            gz.stdin.write(b)
        gz.stdin.close()
        if gz.wait() != 0:
            sys.exit("gen.py: gzip failed")
    print(h.hexdigest())


if __name__ == "__main__":
    main()
