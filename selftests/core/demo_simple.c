// SPDX-License-Identifier: MIT
/* Demo test for the core selftests: a simple test, DEMO_MODE=pass|skip|fail */
#include <string.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("Simple demo test.");

igt_simple_main
{
	const char *mode = getenv("DEMO_MODE") ?: "pass";

	igt_info("simple running\n");
	igt_require_f(strcmp(mode, "skip"), "skip requested\n");
	igt_assert(strcmp(mode, "fail"));
}
