// SPDX-License-Identifier: MIT
/* Demo test for the core selftests: the top-level fixture skips. */
#include "igt.h"

igt_main
{
	igt_fixture
		igt_require_f(0, "no device\n");

	igt_subtest("first")
		igt_info("not reached\n");

	igt_subtest("second")
		igt_info("not reached\n");
}
