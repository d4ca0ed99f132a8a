// SPDX-License-Identifier: MIT
/*
 * The mapping checker's verdict as the result of the running IGT subtest
 * (or dynamic subtest): the one place where both tests turn it into
 * pass, fail or skip.
 */
#include <errno.h>

#include "igt.h"
#include "igt_gup_check.h"

static void print_line(const char *line)
{
	igt_info("%s\n", line);
}

void igt_gup_check_conclude(const struct igt_gup_check *c, const char *what)
{
	const char *name = igt_gup_verdict_name(c->verdict);

	igt_gup_check_print(c, print_line);
	/* the machine-readable line: the matrix reads flags-only from it */
	igt_info(IGT_GUP_VERDICT_TAG "%s\n", name);
	errno = 0;	/* the probes' own errnos are not the failure */
	switch (c->verdict) {
	case IGT_GUP_VERDICT_PASS:
		igt_info("%s: %s\n", what, c->why);
		return;
	case IGT_GUP_VERDICT_FAIL:
		igt_assert_f(false, "%s: %s\n", what, c->why);
		return;
	default:
		igt_skip("%s: %s: %s\n", what, name, c->why);
	}
}
