// SPDX-License-Identifier: MIT
/*
 * Demo test for the core selftests: a group fixture that skips or fails
 * (DEMO_FIXTURE=skip|fail), then a subtest outside the group.
 */
#include <string.h>

#include "igt.h"

igt_main
{
	const char *mode = getenv("DEMO_FIXTURE") ?: "skip";

	igt_describe("Group with a setup fixture.");
	igt_subtest_group {
		igt_fixture {
			if (!strcmp(mode, "fail"))
				igt_assert_f(0, "fixture failure\n");
			igt_require_f(0, "fixture requirement\n");
		}

		igt_describe("First in group.");
		igt_subtest("in-group-a")
			igt_info("not reached\n");

		igt_subtest("in-group-b")
			igt_info("not reached\n");
	}

	igt_subtest("outside")
		igt_info("outside ran\n");
}
