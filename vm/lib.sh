# shellcheck shell=bash
# Shared helpers for the vm/ scripts. Sourced, never run.

# Name of the calling script, for one-line error messages.
IGT_VM_PROG=${IGT_VM_PROG:-$(basename "$0")}

die()
{
	printf '%s: error: %s\n' "$IGT_VM_PROG" "$*" >&2
	exit 1
}

# QEMU's options take ',' as a separator (-chardev path=, -drive file=):
# a path with one is cut short, and the guest never starts.
qemu_path_ok()
{
	local what=$1 path
	path=$(realpath -m -- "$2")
	[[ $path != *,* ]] ||
		die "$what '$path' has a comma, which QEMU's options cannot take: choose a path without one"
}

log()
{
	# Logs go to stderr so that stdout stays machine-readable.
	printf '%s: %s\n' "$IGT_VM_PROG" "$*" >&2
}

need_cmd()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "required command '$c' not found (apt-get install it)"
	done
}

# The cache lives outside the repository: kernels are big and shared
# between checkouts.
igt_vm_cache()
{
	printf '%s\n' "${IGT_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/igt-mmap-gup/kernels}"
}

# shellcheck disable=SC2034 # used by the scripts that source this
IGT_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# kernel.info is KEY=VALUE with shell quoting; read one key without
# sourcing it (the file may come from an old cache). The paths it names
# (VMLINUZ, ROOT, MODULES_DIR, CONFIG) are relative to its own folder, so
# that a cache moved or copied elsewhere boots its own files; an absolute
# one (an older cache) is taken as it is.
kinfo_get()
{
	local file=$1 key=$2 line val
	while IFS= read -r line; do
		if [[ $line == "$key="* ]]; then
			val=$(eval "printf '%s\n' ${line#*=}")
			case $key in
			VMLINUZ|ROOT|MODULES_DIR|CONFIG)
				if [[ -n $val && $val != /* ]]; then
					val="$(dirname "$file")/$val"
				fi
				;;
			esac
			printf '%s\n' "$val"
			return 0
		fi
	done <"$file"
	return 1
}

# tree_check KDIR FILE...: each FILE (a path into KDIR, through symlinks
# or not) has the content vm/fetch-kernel recorded for it when it unpacked
# KDIR (KDIR/tree.md5sums: the .debs' own md5sums, plus depmod's output).
# Prints the first FILE that differs, is missing or was never recorded,
# and fails.
tree_check()
{
	local kdir=$1 p rel line
	local -a rels=()
	shift
	if [[ ! -f $kdir/tree.md5sums ]]; then
		echo "$kdir/tree.md5sums (no checksums recorded)"
		return 1
	fi
	kdir=$(realpath "$kdir")
	for p in "$@"; do
		rel=$(realpath -m --relative-to="$kdir" "$p")
		if [[ $rel == ../* ]]; then
			echo "$p (outside $kdir)"
			return 1
		fi
		rels+=("$rel")
	done
	# one line per FILE, in order; a FILE not recorded gives none
	line=$(printf '%s\n' "${rels[@]}" | awk '
		NR == FNR { want[$0] = 1; next }
		{ f = substr($0, 35) }
		f in want && !(f in seen) { seen[f] = 1; print }
		END { for (f in want) if (!(f in seen)) print "missing " f }' \
		- "$kdir/tree.md5sums")
	p=$(grep -m1 '^missing ' <<<"$line" || true)
	if [[ -n $p ]]; then
		echo "${p#missing } (not recorded)"
		return 1
	fi
	p=$(cd "$kdir" && md5sum -c --quiet <<<"$line" 2>/dev/null |
		sed -n '1s/: [^:]*$//p' || true)
	if [[ -n $p ]]; then
		echo "$p"
		return 1
	fi
	return 0
}

# The binaries an IGT test-list.txt ($1) names, a line each.
testlist_names()
{
	awk '$0 != "TESTLIST" && $0 != "END" && $0 != "END TESTLIST"' "$1"
}

# The test binaries a guest runs from the meson build directory $1: the
# statically linked ones (tests/static/: a shorter start and no PLT under
# TCG) where this configuration of the build makes every one of them,
# else tests/. Binaries an earlier configuration left behind are never
# taken: meson's introspection names the targets of the current one.
guest_tests_dir()
{
	local build=$1 t names
	local targets=$build/meson-info/intro-targets.json
	local list=$build/tests/static/test-list.txt
	if [[ -f $list && -f $targets ]]; then
		names=$(testlist_names "$list")
		for t in $names; do
			if [[ ! -x $build/tests/static/$t ]] ||
			   ! grep -qF "/tests/static/$t\"" "$targets"; then
				names=""
				break
			fi
		done
		if [[ -n $names ]]; then
			echo "$build/tests/static"
			return 0
		fi
	fi
	echo "$build/tests"
}

# Integer seconds since the epoch with milliseconds, for timings.
now_ms()
{
	date +%s%3N
}

# Suites come from the Debian archive the host itself uses: the URIs of
# its apt sources (one-line sources.list and deb822 *.sources), so that a
# local mirror or proxy keeps working. The project names no archive host:
# with no usable source, say what to configure. IGT_VM_APT_ETC replaces
# /etc/apt (tests).
apt_etc()
{
	printf '%s\n' "${IGT_VM_APT_ETC:-/etc/apt}"
}

# Prints "URI SUITE..." for every enabled binary source, one-line files
# first, then deb822 stanzas.
apt_sources()
{
	local etc f line types uris suites enabled key val
	etc=$(apt_etc)
	for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		# deb [options] URI SUITE COMPONENT...
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && NF >= 3 { s = $3
				for (i = 4; i <= NF; i++) s = s " " $i
				print $2, s }'
	done
	for f in "$etc"/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		types="" uris="" suites="" enabled=yes key=""
		while IFS= read -r line || [[ -n $line ]]; do
			[[ $line == \#* ]] && continue
			if [[ -z ${line//[[:space:]]/} ]]; then
				deb822_emit
				types="" uris="" suites="" enabled=yes key=""
				continue
			fi
			if [[ $line == [[:space:]]* ]]; then
				# a continuation line adds to the last field
				val=$line
			else
				key=${line%%:*}
				val=${line#*:}
			fi
			case ${key,,} in
			types) types="$types $val" ;;
			uris) uris="$uris $val" ;;
			suites) suites="$suites $val" ;;
			enabled) enabled=${val//[[:space:]]/} ;;
			esac
		done <"$f"
		deb822_emit
	done
}

deb822_emit()
{
	local u
	[[ " $types " == *" deb "* && ${enabled,,} != no && -n $uris ]] || return 0
	for u in $uris; do
		# shellcheck disable=SC2086 # the suite list splits on purpose
		echo "$u" $suites
	done
}

# The URI of the first source that carries the archive's main suites
# (want_security 0: a suite that is neither -security nor -updates) or its
# security suites (1). IGT_VM_APT_URI and IGT_VM_APT_SECURITY_URI win.
system_uri()
{
	local want_security=$1 uri suites s
	if [[ $want_security == 1 && -n ${IGT_VM_APT_SECURITY_URI:-} ]]; then
		echo "$IGT_VM_APT_SECURITY_URI"
		return 0
	fi
	if [[ $want_security == 0 && -n ${IGT_VM_APT_URI:-} ]]; then
		echo "$IGT_VM_APT_URI"
		return 0
	fi
	while read -r uri suites; do
		for s in $suites; do
			if [[ $want_security == 1 && $s == *-security ]] ||
			   [[ $want_security == 0 && $s != *-security &&
			      $s != *-updates && $s != *-backports ]]; then
				echo "$uri"
				return 0
			fi
		done
	done < <(apt_sources)
	if [[ $want_security == 1 ]]; then
		die "no apt source for a *-security suite in $(apt_etc)/sources.list or $(apt_etc)/sources.list.d/ (add your Debian security archive there, or set IGT_VM_APT_SECURITY_URI)"
	fi
	die "no apt source of the Debian archive in $(apt_etc)/sources.list or $(apt_etc)/sources.list.d/ (add your Debian mirror there, or set IGT_VM_APT_URI)"
}
