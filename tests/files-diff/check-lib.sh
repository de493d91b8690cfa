# shellcheck shell=bash disable=SC2015 # `a && b || _fail`: _fail only prints and fails
# Helpers for a case's check.sh (sourced by run, with R = the root to check,
# `set -e`: the first failing helper ends the check and its message is the
# reason). Paths are relative to the root and start with /.
_fail() { echo "$*"; return 1; }
# file <path> [<content>]: a regular file (with exactly that content; printf-style escapes allowed)
file() {
	[ -f "$R$1" ] && [ ! -L "$R$1" ] || _fail "$1 is not a regular file" || return 1
	if [ $# -ge 2 ]; then
		local want
		want=$(printf '%b' "$2"; echo x)
		local got
		got=$(cat "$R$1"; echo x)
		[ "$got" = "$want" ] || _fail "$1 has content '$(head -c 80 "$R$1")', want '$2'" || return 1
	fi
}
# dir <path>: a directory (not a symlink to one)
dir() { [ -d "$R$1" ] && [ ! -L "$R$1" ] || _fail "$1 is not a directory"; }
# symlink <path> <target>
symlink() {
	[ -L "$R$1" ] || _fail "$1 is not a symlink" || return 1
	[ "$(readlink "$R$1")" = "$2" ] || _fail "$1 -> $(readlink "$R$1"), want $2"
}
# absent <path>: nothing there (not even a dangling symlink)
absent() { [ ! -e "$R$1" ] && [ ! -L "$R$1" ] || _fail "$1 exists"; }
# mode <path> <octal>: permission bits (of the symlink itself for a link)
mode() {
	local m
	m=$(stat -c %a "$R$1") || return 1
	[ "$((8#$m))" = "$((8#$2))" ] || _fail "$1 has mode $m, want $2"
}
# owner <path> <uid>:<gid>
owner() {
	local o
	o=$(stat -c %u:%g "$R$1") || return 1
	[ "$o" = "$2" ] || _fail "$1 is owned by $o, want $2"
}
# same_inode <path> <path>
same_inode() { [ "$R$1" -ef "$R$2" ] && [ ! -L "$R$1" ] || _fail "$1 and $2 are not the same inode"; }
# line <path> <extended regex>: some line matches
line() { grep -qE -- "$2" "$R$1" 2>/dev/null || _fail "$1 has no line matching $2"; }
# no_line <path> <extended regex>
no_line() { ! grep -qE -- "$2" "$R$1" 2>/dev/null || _fail "$1 has a line matching $2"; }
