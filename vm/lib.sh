# shellcheck shell=bash
# Shared helpers for the vm/ scripts. Sourced, never run.

# Name of the calling script, for one-line error messages.
IGT_VM_PROG=${IGT_VM_PROG:-$(basename "$0")}

die()
{
	printf '%s: error: %s\n' "$IGT_VM_PROG" "$*" >&2
	exit 1
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
# sourcing it (the file may come from an old cache).
kinfo_get()
{
	local file=$1 key=$2 line
	while IFS= read -r line; do
		if [[ $line == "$key="* ]]; then
			eval "printf '%s\n' ${line#*=}"
			return 0
		fi
	done <"$file"
	return 1
}

# Integer seconds since the epoch with milliseconds, for timings.
now_ms()
{
	date +%s%3N
}

# Suites come from Debian's mirror; reuse the URIs of the host's own
# sources so that a local mirror or proxy keeps working.
system_uri()
{
	local want_security=$1 f uri="" suites="" line
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		while IFS= read -r line || [[ -n $line ]]; do
			case $line in
			URIs:*) uri=${line#URIs:} ;;
			Suites:*) suites=${line#Suites:} ;;
			"")
				if pick_uri "$want_security" "$uri" "$suites"; then
					return 0
				fi
				uri="" suites=""
				;;
			esac
		done < <(cat "$f"; echo)
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		while read -r _ uri suites _; do
			pick_uri "$want_security" "$uri" "$suites" && return 0
		done < <(grep -E '^deb[[:space:]]' "$f" | sed 's/\[[^]]*\]//')
	done
	if [[ $want_security == 1 ]]; then
		echo http://deb.debian.org/debian-security
	else
		echo http://deb.debian.org/debian
	fi
}

pick_uri()
{
	local want_security=$1 uri suites=$3 s
	read -r uri _ <<<"$2"
	[[ -n $uri ]] || return 1
	for s in $suites; do
		if [[ $want_security == 1 && $s == *-security ]] ||
		   [[ $want_security == 0 && $s != *-security && $s != *-updates ]]; then
			echo "$uri"
			return 0
		fi
	done
	return 1
}
