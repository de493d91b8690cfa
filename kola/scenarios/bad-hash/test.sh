# kola: bad-hash: never runs; the files stage must stop the boot before switch-root.
# shellcheck shell=bash
kola_fail "the boot reached the real root although a file's sha512 did not match"
