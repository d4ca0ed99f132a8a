#!/bin/bash
# SPDX-License-Identifier: MIT
#
# pipeline_lint.sh SOURCE_ROOT
#
# .gitlab-ci.yml: yamllint (Debian's yamllint, configured by .yamllint),
# then what yamllint cannot see (pipeline_check.py): the jobs, needs and
# stages hang together, the per-kernel matrix is vm/kernels.conf's kernel
# set, and the files the jobs hand over are the ones the tools write.
# Skips (77) where yamllint is not installed (tools/setup-debian.sh
# installs it).
set -u
src=$1
if ! command -v yamllint >/dev/null 2>&1; then
	echo "skip: yamllint is not installed (Debian package yamllint)"
	exit 77
fi
cd "$src" || exit 1
if yamllint --strict .gitlab-ci.yml; then
	echo "ok   yamllint --strict .gitlab-ci.yml"
else
	echo "FAIL yamllint .gitlab-ci.yml"
	exit 1
fi
python3 selftests/adoption/pipeline_check.py .gitlab-ci.yml
