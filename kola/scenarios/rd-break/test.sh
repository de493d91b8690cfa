# kola: rd-break: not reached (the harness powers the VM off from the break shell).
# shellcheck shell=bash
kola_fail "the boot went past the rd.break shell"
