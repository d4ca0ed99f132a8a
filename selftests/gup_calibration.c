// SPDX-License-Identifier: MIT
/*
 * The calibration of every GUP probe on the kernel this runs on: the
 * evidence that gem_mmap_gup's verdicts rest on, checked without a GPU.
 */

/**
 * TEST: gup calibration
 * Category: Infrastructure
 * Description: Every GUP probe pins anonymous and shmem memory and is
 *	refused on a VM_PFNMAP mapping of the running kernel.
 *
 * SUBTEST: %s
 * Description: Calibration of one probe; skips with the reason where the
 *	probe cannot run or no reference mapping exists; fails where the
 *	probe pins a VM_PFNMAP mapping or is refused on ordinary memory.
 */
#include <string.h>

#include "igt.h"
#include "igt_gup.h"

IGT_TEST_DESCRIPTION("Calibrate the GUP probes on the running kernel.");

static struct igt_gup_calibration cal;

static void print_line(const char *line)
{
	igt_info("%s\n", line);
}

/* Refused on anon/memfd is a broken probe; unavailable is a skip. */
static bool refused_on_ordinary_memory(int p)
{
	for (int r = 0; r < cal.num_refs; r++)
		if (cal.refs[r].kind == IGT_GUP_REF_MUST_PIN &&
		    cal.refs[r].available && cal.refs[r].ran[p] &&
		    cal.refs[r].res[p].status == IGT_GUP_REFUSED)
			return true;
	return false;
}

igt_main
{
	igt_fixture {
		igt_gup_calibrate(&cal);
		igt_gup_calibration_print(&cal, print_line);
	}

	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		igt_describe_f("Calibrate %s.", igt_gup_probes[p].reaches);
		igt_subtest_f("%s", igt_gup_probes[p].name) {
			igt_assert_f(!cal.pinned_pfnmap[p], "%s\n",
				     cal.reason[p]);
			igt_assert_f(!refused_on_ordinary_memory(p), "%s\n",
				     cal.reason[p]);
			igt_require_f(cal.calibrated[p], "%s\n",
				      cal.reason[p]);
			igt_info("%s: %s\n", igt_gup_probes[p].name,
				 cal.reason[p]);
		}
	}
}
