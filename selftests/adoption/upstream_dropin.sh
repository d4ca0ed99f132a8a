#!/bin/bash
# SPDX-License-Identifier: MIT
#
# upstream_dropin.sh SOURCE_ROOT BUILD_ROOT CC
#
# What keeps tests/ and lib/ droppable into upstream IGT as they are
# (docs/upstreaming.md), checked on the sources and on the built tests:
# - no call that can load a kernel module (IGT's drm_open_driver*() and
#   __drm_open_driver*() modprobe when devices run out);
# - no SZ_* of their own (upstream's igt_sizes.h has them);
# - lib/igt_gup.c refuses to build when the build does not say whether
#   liburing is in (IGT's config.h has no HAVE_LIBURING);
# - every file of lib/ and tests/ is in docs/upstreaming.md's list;
# - the options igt_runner passes are acted on, --hook included.
set -u
src=$1 build=$2 cc=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failed=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
cd "$src" || exit 1

hits=$(grep -nE '\b_*drm_open_driver[a-z_]*\s*\(|drm_load_module|igt_kmod_load|modprobe\s*\(' \
	tests/*.c lib/*.c lib/*.h | grep -vE '^[^:]+:[0-9]+:\s*(\*|/\*|//)')
[ -z "$hits" ] && ok "tests/ and lib/ never call a module-loading opener" ||
	bad "module-loading calls: $hits"
grep -q 'igt_drm_open_existing(idx' tests/gem_mmap_gup.c &&
	grep -q 'igt_drm_open_existing(idx' tests/drm_ttm_pfnmap.c &&
	ok "both tests open devices with igt_drm_open_existing()" ||
	bad "a test does not open its devices with igt_drm_open_existing()"

hits=$(grep -nE '^\s*#\s*define\s+SZ_' tests/*.c lib/*.c lib/*.h)
[ -z "$hits" ] && ok "no SZ_* defined in tests/ or lib/" || bad "SZ_* defined: $hits"

# the io_uring probe: no silent compile-out
"$cc" -fsyntax-only -D_GNU_SOURCE -Ilib lib/igt_gup.c 2>"$T/e"
rc=$?
[ $rc != 0 ] && grep -q 'IGT_GUP_LIBURING is not defined' "$T/e" &&
	ok "lib/igt_gup.c without IGT_GUP_LIBURING: a build error" ||
	bad "lib/igt_gup.c without IGT_GUP_LIBURING: rc $rc"
"$cc" -fsyntax-only -D_GNU_SOURCE -DIGT_GUP_LIBURING=0 -Ilib lib/igt_gup.c &&
	ok "lib/igt_gup.c with IGT_GUP_LIBURING=0 builds" ||
	bad "lib/igt_gup.c with IGT_GUP_LIBURING=0 does not build"

# IGT builds with -Wdeclaration-after-statement
bad_decl=0
for f in lib/*.c tests/*.c; do
	"$cc" -fsyntax-only -std=gnu11 -D_GNU_SOURCE -DIGT_GUP_LIBURING=1 \
		-Werror=declaration-after-statement -Ilib -Icore -Icanary \
		-I"$build" \
		$(pkg-config --cflags libdrm) "$f" 2>"$T/e" ||
		{ bad "$f: $(grep -m1 error "$T/e")"; bad_decl=1; }
done
[ $bad_decl = 1 ] || ok "lib/ and tests/ declare before statements, as IGT's warnings want"

# the drop-in list
missing=0
for f in lib/*.c lib/*.h canary/*_uapi.h tests/*.c tests/*.testlist; do
	grep -qF "$f" docs/upstreaming.md ||
		{ bad "docs/upstreaming.md misses $f"; missing=1; }
done
[ $missing = 1 ] || ok "docs/upstreaming.md names every file of lib/ and tests/"
for f in $(sed -n "s/^+\t'\(igt_[a-z_]*\.c\)',$/\1/p" docs/upstreaming.md); do
	[ -f "lib/$f" ] || bad "docs/upstreaming.md's lib/meson.build hunk names lib/$f, not in the tree"
done
for f in lib/*.c; do
	grep -qF "+	'${f#lib/}'," docs/upstreaming.md ||
		bad "docs/upstreaming.md's lib/meson.build hunk misses $f"
done
grep -q 'upstreaming.md' docs/gem_mmap_gup.md &&
	ok "docs/gem_mmap_gup.md points to it" ||
	bad "docs/gem_mmap_gup.md does not point to docs/upstreaming.md"

# the built tests: a filter naming no device skips, and nothing is loaded
t="$build/tests/gem_mmap_gup"
if [ ! -e /dev/dri/card99 ]; then
	IGT_PLAIN_OUTPUT=1 "$t" --device drm:/dev/dri/card99 \
		--run-subtest probe-calibration >"$T/o" 2>"$T/e"
	rc=$?
	[ $rc = 77 ] && grep -q 'No card matches the filter! \[drm:/dev/dri/card99\]' "$T/e" &&
		ok "a filter that matches no card: warning and skip" ||
		bad "--device drm:/dev/dri/card99: rc $rc"
fi
# igt_runner --hook H runs BIN ... --hook H: acted on, not exit 79
"$t" --run-subtest probe-calibration \
	--hook 'post-subtest,post-test:echo "hook $IGT_HOOK_EVENT $IGT_HOOK_TEST_FULLNAME $IGT_HOOK_RESULT"' \
	>"$T/o" 2>"$T/e"
rc=$?
res=$(sed -n 's/^Subtest probe-calibration: \([A-Z]*\).*/\1/p' "$T/o")
# a subtest the fixture resolved (no device here) fires no subtest hook
if grep -q '^Starting subtest: probe-calibration' "$T/o"; then
	want="hook post-subtest igt@gem_mmap_gup@probe-calibration $res"
else
	want=""
fi
[ "$(grep '^hook post-subtest' "$T/o")" = "$want" ] &&
	grep -q '^hook post-test igt@gem_mmap_gup [A-Z]*$' "$T/o" && [ $rc != 79 ] &&
	ok "--hook runs at the subtest's and the test's end (exit $rc)" ||
	bad "--hook: rc $rc, $(grep hook "$T/o")"
"$build/tests/drm_ttm_pfnmap" --help-hook >"$T/o" && grep -q 'pre-dyn-subtest' "$T/o" &&
	ok "--help-hook" || bad "--help-hook"
"$build/tests/drm_ttm_pfnmap" --trace-on-oops --list-subtests >/dev/null &&
	ok "--trace-on-oops accepted" || bad "--trace-on-oops"
[ $failed = 0 ]
