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
