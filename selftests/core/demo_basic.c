// SPDX-License-Identifier: MIT
/* Demo test for the core selftests: every kind of subtest result. */
#include <signal.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("Demo of subtest results for the core selftests.");

igt_main
{
	igt_fixture {
		igt_debug("fixture ran\n");
	}

	igt_describe("A subtest that passes.");
	igt_subtest("pass")
		igt_info("hello from pass\n");

	igt_subtest("skip")
		igt_require(1 == 2);

	igt_subtest("fail") {
		igt_debug("about to fail\n");
		igt_assert_eq(1, 2);
	}

	igt_subtest("basic-one")
		igt_info("basic-one ran\n");

	igt_subtest_f("basic-%s", "two")
		igt_info("basic-two ran\n");

	igt_subtest("crash")
		raise(SIGSEGV);

	igt_subtest("after-crash")
		igt_info("after-crash ran\n");

	igt_describe("Dynamic subtests: one passes, one fails.");
	igt_subtest_with_dynamic("dyn-mixed") {
		igt_dynamic("ok")
			igt_info("dynamic ok ran\n");
		igt_dynamic_f("bad-%d", 1)
			igt_assert_f(0, "dynamic failure %d\n", 1);
		igt_dynamic("skipped")
			igt_skip("dynamic skip\n");
	}

	igt_subtest_with_dynamic("dyn-pass") {
		igt_dynamic("one")
			igt_info("dyn one\n");
		igt_dynamic("two")
			igt_info("dyn two\n");
	}

	igt_subtest_with_dynamic("dyn-allskip") {
		igt_dynamic("s1")
			igt_skip("nothing here\n");
	}
}
