# shellcheck shell=bash
# The checks host.sh and vm.sh share. Sourced; the caller sets $tmp and
# $failures.

# expect NAME RC REGEX CMD...: CMD exits RC (or, with RC "any", anything
# but 0) and its output (stdout and stderr) has a line matching the
# extended REGEX.
expect()
{
	local name=$1 rc=$2 re=$3 got=0
	shift 3
	"$@" >"$tmp/out" 2>&1 || got=$?
	if [[ $rc != any && $got != "$rc" ]] || [[ $rc == any && $got == 0 ]]; then
		echo "FAIL $name: exit $got, expected $rc"
		sed 's/^/    /' "$tmp/out" | tail -n 8
		failures=$((failures + 1))
	elif ! grep -qE -- "$re" "$tmp/out"; then
		echo "FAIL $name: no line matches /$re/"
		sed 's/^/    /' "$tmp/out" | tail -n 8
		failures=$((failures + 1))
	else
		echo "ok   $name: $(grep -E -m1 -- "$re" "$tmp/out")"
	fi
}
