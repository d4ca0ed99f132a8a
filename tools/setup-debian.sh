#!/bin/bash
# Installs, from Debian 12's own archive, everything the build, the tests
# and the VM matrix need. Run as root; idempotent.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
	echo "setup-debian.sh: must run as root (apt-get install)" >&2
	exit 1
fi

packages=(
	# build
	gcc meson ninja-build pkg-config
	libdrm-dev libkmod-dev libpciaccess-dev liburing-dev libjson-c-dev
	# VM matrix: guests, initramfs, scratch disk, kernel packages
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd kmod
	e2fsprogs file apt dpkg ca-certificates
	# the canary module (vm/build-canary): host builds for 5.10 and 6.1,
	# a sid chroot for the kernels whose headers need a newer toolchain
	gcc-12 make debootstrap
	# result checks in tools/run-tests
	python3
	# robustness steps of tools/run-tests: libFuzzer and sanitizer
	# runtimes (clang), static analysis; flock for the results lock
	clang clang-14 libclang-rt-14-dev clang-tidy-14 cppcheck util-linux
	# benchmarks
	time
	# lint of .gitlab-ci.yml (selftests/adoption/pipeline_lint.sh)
	yamllint
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "setup-debian.sh: all ${#packages[@]} packages present"
