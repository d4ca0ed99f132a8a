#!/bin/sh
# SPDX-License-Identifier: MIT
# A test's doc block must list exactly its subtests: every SUBTEST:
# pattern, expanded with the arg[N] values (the Nth %s takes arg[N]),
# against --list-subtests; and its probe argument must be the probe table
# (name and text).
# usage: doc_block.sh PROBE_TABLE SOURCE BINARY PROBE_ARG [SOURCE BINARY PROBE_ARG]...
set -eu
table=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

"$table" >"$tmp/probes"

while [ $# -ge 3 ]; do
	src=$1 bin=$2 parg=$3
	shift 3
	name=$(basename "$bin")
	# the first comment block that has TEST:, up to its end
	awk '/^\/\*\*/ { inb = 1 } inb { print } inb && /\*\// { exit }' \
		"$src" >"$tmp/block"
	grep -q 'TEST:' "$tmp/block" || { echo "$name: no doc block"; fail=1; continue; }
	# arg[N] values: "@value:<tab>text"
	awk -v dir="$tmp" '
		/^ \* arg\[[0-9]+\]:/ { n = $0; sub(/^ \* arg\[/, "", n); sub(/\].*/, "", n); next }
		/^ \* SUBTEST:/ { n = "" }
		n != "" && /^ \* @/ {
			v = $0; sub(/^ \* @/, "", v)
			text = v; sub(/^[^:]*:[ \t]*/, "", text)
			sub(/:.*/, "", v)
			print v > (dir "/arg" n)
			printf "%s\t%s\n", v, text > (dir "/argdoc" n)
		}' "$tmp/block"
	# each SUBTEST: pattern, its Nth %s replaced by every value of arg[N]
	if ! awk -v name="$name" '
		/^ \* arg\[[0-9]+\]:/ { n = $0; sub(/^ \* arg\[/, "", n); sub(/\].*/, "", n); next }
		/^ \* SUBTEST:/ { p = $0; sub(/^ \* SUBTEST: */, "", p); pats[++np] = p; n = ""; next }
		n != "" && /^ \* @/ { v = $0; sub(/^ \* @/, "", v); sub(/:.*/, "", v); vals[n, ++nv[n]] = v }
		function expand(s, i,   k) {
			if (index(s, "%s") == 0) { print s; return }
			if (!nv[i]) { printf "%s: SUBTEST: uses arg[%d], which the block lacks\n", name, i > "/dev/stderr"; bad = 1; return }
			for (k = 1; k <= nv[i]; k++) {
				t = s; sub(/%s/, vals[i, k], t); expand(t, i + 1)
			}
		}
		END { for (j = 1; j <= np; j++) expand(pats[j], 1); exit bad }
	' "$tmp/block" >"$tmp/expanded"; then
		fail=1
	fi
	sort -u "$tmp/expanded" >"$tmp/doc"
	"$bin" --list-subtests | sort -u >"$tmp/list"
	if ! cmp -s "$tmp/doc" "$tmp/list"; then
		echo "$name: doc block and --list-subtests differ (< doc only, > binary only):"
		diff "$tmp/doc" "$tmp/list" | grep '^[<>]' | head -40
		fail=1
	fi
	if ! cmp -s "$tmp/argdoc$parg" "$tmp/probes"; then
		echo "$name: arg[$parg] is not the probe table (< doc block, > lib/igt_gup_probes.c):"
		diff "$tmp/argdoc$parg" "$tmp/probes" | grep '^[<>]'
		fail=1
	fi
	rm -f "$tmp"/arg* "$tmp"/argdoc*
	[ $fail = 0 ] && echo "$name: doc block matches --list-subtests and the probe table"
done
exit $fail
