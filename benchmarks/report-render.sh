#!/bin/bash
# Renders the VM matrix report (igt_vm_results matrix --html FILE) and one
# cell page in headless Chromium (Debian package "chromium"), offline, and
# saves screenshots; prints the render times and the report's size.
# Exit 77 (skip) where chromium is not installed.
set -euo pipefail

usage()
{
	cat <<EOF
usage: report-render.sh REPORT.html OUT.png [WIDTHxHEIGHT]

  REPORT.html  the report's index (its cell pages in cells/ beside it)
  OUT.png      the screenshot of the index; the first failing (else the
               first) cell page goes to OUT-cell.png
  WIDTHxHEIGHT the window (default 1500x2200)
EOF
}

if (( $# < 2 )) || [[ $1 == -h || $1 == --help ]]; then
	usage >&2
	exit 2
fi
report=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1500x2200}
[[ -f $report ]] || { echo "report-render.sh: $1: no such report" >&2; exit 2; }
[[ $size =~ ^[0-9]+x[0-9]+$ ]] || { echo "report-render.sh: bad size '$size'" >&2; exit 2; }

chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
	echo "report-render.sh: SKIP: chromium is not installed (apt-get install chromium)" >&2
	exit 77
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# $1: page, $2: png. Offline: the report needs nothing from elsewhere.
shot()
{
	local t0 t1
	t0=$(date +%s%N)
	"$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" --hide-scrollbars \
		--window-size="${size/x/,}" --screenshot="$2" \
		"file://$1" >"$profile/chromium.log" 2>&1 || {
		echo "report-render.sh: chromium failed on $1:" >&2
		tail -5 "$profile/chromium.log" >&2
		exit 1
	}
	t1=$(date +%s%N)
	[[ -s $2 ]] || { echo "report-render.sh: no screenshot of $1" >&2; exit 1; }
	printf 'render_ms %d %s -> %s (%d bytes)\n' $(( (t1 - t0) / 1000000 )) \
		"$1" "$2" "$(stat -c %s "$2")"
}

dir=$(dirname "$report")
cell=$(grep -o 'class="fail"><a href="cells/[0-9]*\.html"' "$report" | head -1 |
	sed 's/.*href="\([^"]*\)"/\1/' || true)
[[ -n $cell ]] || cell=$(grep -o 'href="cells/[0-9]*\.html"' "$report" | head -1 |
	sed 's/href="\([^"]*\)"/\1/' || true)

printf 'report_bytes %d cell_pages %d\n' "$(stat -c %s "$report")" \
	"$(find "$dir/cells" -name '*.html' 2>/dev/null | wc -l)"
shot "$report" "$out"
if [[ -n $cell ]]; then
	shot "$dir/$cell" "${out%.png}-cell.png"
fi
