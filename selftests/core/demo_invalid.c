// SPDX-License-Identifier: MIT
/* Demo test for the core selftests: an invalid subtest name. */
#include "igt.h"

igt_main
{
	igt_subtest("good")
		igt_info("good ran\n");

	igt_subtest("bad name")
		igt_info("not reached\n");
}
