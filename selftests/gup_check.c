// SPDX-License-Identifier: MIT
/*
 * The mapping checker's rules, fed recorded outcomes: no kernel, no GPU.
 * Each subtest records what a guest would have seen and asks
 * igt_gup_check_verdict() (or igt_gup_calibration_judge()) for the
 * verdict the rules in lib/igt_gup_check.h demand.
 */

/**
 * TEST: gup check
 * Category: Infrastructure
 * Description: The verdict rules of the mapping checker and of the
 *	probes' calibration, from recorded outcomes.
 *
 * SUBTEST: %s
 * Description: One recorded situation and the verdict it must get.
 */
#include <errno.h>
#include <string.h>

#include "igt.h"
#include "igt_gup_check.h"

IGT_TEST_DESCRIPTION("The mapping checker's verdicts from recorded outcomes.");

#define PF_FLAGS "rd wr sh mr mw me ms pf io de dd sd"
#define MM_FLAGS "rd wr sh mr mw me ms io de dd sd mm"

static struct igt_gup_result result(enum igt_gup_status st, int err,
				    const char *reason)
{
	struct igt_gup_result r = { .status = st, .err = err, .bytes = -1 };

	snprintf(r.reason, sizeof(r.reason), "%s", reason ? reason : "");
	return r;
}

static const struct igt_gup_result refused = {
	.status = IGT_GUP_REFUSED, .err = EFAULT, .bytes = -1,
};

static void rec(struct igt_gup_check *c, int map, enum igt_gup_probe_id p,
		struct igt_gup_result r)
{
	igt_gup_check_record(c, map, 0, p, IGT_GUP_CAL_OK, &r);
}

static void rec_refused(struct igt_gup_check *c, int map,
			enum igt_gup_probe_id p)
{
	rec(c, map, p, refused);
}

static void expect(struct igt_gup_check *c, enum igt_gup_verdict want)
{
	enum igt_gup_verdict got = igt_gup_check_verdict(c);

	igt_info("verdict %s: %s\n", igt_gup_verdict_name(got), c->why);
	igt_assert_f(got == want, "expected %s, got %s (%s)\n",
		     igt_gup_verdict_name(want), igt_gup_verdict_name(got),
		     c->why);
}

static int new_check(struct igt_gup_check *c, const char *vmflags)
{
	igt_gup_check_init(c, IGT_GUP_OWNER_DRIVER);
	return igt_gup_check_note_vma(c, 4 << 20, vmflags);
}

/* anon and memfd pinned, every GUP probe refused on ivshmem */
static void calibration_all_good(struct igt_gup_calibration *cal)
{
	static const struct {
		const char *name;
		enum igt_gup_ref_kind kind;
	} refs[] = {
		{ "anon", IGT_GUP_REF_MUST_PIN },
		{ "memfd", IGT_GUP_REF_MUST_PIN },
		{ "packet-ring", IGT_GUP_REF_MUST_PIN_UNMAPPED },
		{ "ivshmem-bar", IGT_GUP_REF_MUST_REFUSE },
	};

	memset(cal, 0, sizeof(*cal));
	for (size_t r = 0; r < ARRAY_SIZE(refs); r++) {
		struct igt_gup_ref *ref = &cal->refs[cal->num_refs++];

		ref->name = refs[r].name;
		ref->kind = refs[r].kind;
		ref->available = ref->writable = true;
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			ref->ran[p] = true;
			if (refs[r].kind == IGT_GUP_REF_MUST_REFUSE)
				ref->res[p] = result(IGT_GUP_REFUSED,
						     igt_gup_probes[p].is_gup ?
						     EFAULT : EINVAL, NULL);
			else
				ref->res[p] = result(IGT_GUP_PINNED, 0, NULL);
		}
	}
}

igt_main
{
	struct igt_gup_check c;
	int m;

	igt_describe("A GUP-fast refusal (O_DIRECT, vmsplice) and no pin: pass, VM_PFNMAP or not.");
	igt_subtest("refused-by-gup-fast") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec_refused(&c, m, IGT_GUP_PROCESS_VM_READV);
		expect(&c, IGT_GUP_VERDICT_PASS);
		m = new_check(&c, MM_FLAGS);
		rec_refused(&c, m, IGT_GUP_ODIRECT_READ);
		expect(&c, IGT_GUP_VERDICT_PASS);
	}

	igt_describe("One pin among refusals fails, VM_PFNMAP or not.");
	igt_subtest("pinned") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec(&c, m, IGT_GUP_ODIRECT_WRITE,
		    result(IGT_GUP_PINNED, 0, "O_DIRECT write moved 4096 bytes"));
		expect(&c, IGT_GUP_VERDICT_FAIL);
		igt_assert(c.pinned == 1);
	}

	igt_describe("io_uring's EOPNOTSUPP came after the pin: a failure.");
	igt_subtest("io-uring-eopnotsupp") {
		m = new_check(&c, MM_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec(&c, m, IGT_GUP_IO_URING,
		    result(IGT_GUP_PINNED, EOPNOTSUPP,
			   "pinned, then refused by io_uring's file policy (EOPNOTSUPP)"));
		expect(&c, IGT_GUP_VERDICT_FAIL);
		igt_assert(strstr(c.why, "io_uring's file policy"));
	}

	igt_describe("A kernel warning during the check fails it, refusals or not.");
	igt_subtest("dmesg-warning") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec_refused(&c, m, IGT_GUP_ODIRECT_READ);
		c.kmsg_warnings = 1;
		snprintf(c.kmsg_report, sizeof(c.kmsg_report),
			 "WARNING: CPU: 0 PID: 1 at mm/gup.c:100");
		expect(&c, IGT_GUP_VERDICT_FAIL);
		igt_assert(strstr(c.why, "WARNING:"));
	}

	igt_describe("A kernel log that cannot be read leaves the check inconclusive.");
	igt_subtest("kmsg-unreadable") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		c.kmsg_err = -EACCES;
		expect(&c, IGT_GUP_VERDICT_INCONCLUSIVE);
	}

	igt_describe("Every probe unavailable: flags-only with VM_PFNMAP, inconclusive without.");
	igt_subtest("all-unavailable") {
		for (int pf = 0; pf < 2; pf++) {
			m = new_check(&c, pf ? PF_FLAGS : MM_FLAGS);
			for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
				rec(&c, m, p, result(IGT_GUP_UNAVAILABLE,
						     EOPNOTSUPP, "cannot run"));
			expect(&c, pf ? IGT_GUP_VERDICT_FLAGS_ONLY :
			       IGT_GUP_VERDICT_INCONCLUSIVE);
		}
	}

	igt_describe("Uncalibrated probes do not run: VM_PFNMAP alone is flags-only.");
	igt_subtest("none-calibrated") {
		m = new_check(&c, PF_FLAGS);
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
			igt_gup_check_record(&c, m, 0, p,
					     IGT_GUP_CAL_UNCALIBRATED, NULL);
		expect(&c, IGT_GUP_VERDICT_FLAGS_ONLY);
		igt_assert(c.unavailable == IGT_GUP_NUM_PROBES);
	}

	igt_describe("futex's EFAULT is no proof: it cannot see a pin of a page without ->mapping.");
	igt_subtest("futex-only") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_FUTEX);
		expect(&c, IGT_GUP_VERDICT_FLAGS_ONLY);
		m = new_check(&c, MM_FLAGS);
		rec_refused(&c, m, IGT_GUP_FUTEX);
		expect(&c, IGT_GUP_VERDICT_INCONCLUSIVE);
	}

	igt_describe("Slow GUP and MADV_POPULATE read the VMA flags: alone they are flags-only.");
	igt_subtest("slow-and-populate-only") {
		m = new_check(&c, PF_FLAGS);
		rec_refused(&c, m, IGT_GUP_PROCESS_VM_READV);
		rec_refused(&c, m, IGT_GUP_IO_URING);
		rec(&c, m, IGT_GUP_MADV_POPULATE_READ,
		    result(IGT_GUP_REFUSED, EINVAL, NULL));
		expect(&c, IGT_GUP_VERDICT_FLAGS_ONLY);
	}

	igt_describe("MADV_POPULATE success takes no reference: informational, not a failure.");
	igt_subtest("populate-informational") {
		m = new_check(&c, MM_FLAGS);
		rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec(&c, m, IGT_GUP_MADV_POPULATE_WRITE,
		    result(IGT_GUP_PINNED, 0, "populated"));
		expect(&c, IGT_GUP_VERDICT_PASS);
		igt_assert(c.informational == 1 && c.pinned == 0);
	}

	igt_describe("A check of one probe: its own refusal proves it, its absence is no flags-only.");
	igt_subtest("one-probe") {
		m = new_check(&c, PF_FLAGS);
		c.proof_probes = IGT_GUP_CHECK_PROBE(IGT_GUP_PROCESS_VM_READV);
		rec_refused(&c, m, IGT_GUP_PROCESS_VM_READV);
		expect(&c, IGT_GUP_VERDICT_PASS);

		m = new_check(&c, PF_FLAGS);
		c.proof_probes = IGT_GUP_CHECK_PROBE(IGT_GUP_MADV_POPULATE_READ);
		rec(&c, m, IGT_GUP_MADV_POPULATE_READ,
		    result(IGT_GUP_UNAVAILABLE, ENOMEM, "madvise: ENOMEM"));
		expect(&c, IGT_GUP_VERDICT_INCONCLUSIVE);
		rec(&c, m, IGT_GUP_MADV_POPULATE_READ,
		    result(IGT_GUP_REFUSED, EINVAL, NULL));
		expect(&c, IGT_GUP_VERDICT_PASS);
	}

	igt_describe("Core-mm pages by design: pins are informational, the check does not apply.");
	igt_subtest("core-mm") {
		igt_gup_check_init(&c, IGT_GUP_OWNER_CORE_MM);
		m = igt_gup_check_note_vma(&c, 4096, "rd wr sh mr mw me ms");
		rec(&c, m, IGT_GUP_VMSPLICE, result(IGT_GUP_PINNED, 0, NULL));
		expect(&c, IGT_GUP_VERDICT_NOT_APPLICABLE);
	}

	igt_describe("A pin beyond the recorded outcomes still fails the check.");
	igt_subtest("lost-pin") {
		m = new_check(&c, PF_FLAGS);
		for (int i = 0; i < IGT_GUP_CHECK_MAX_OUTCOMES; i++)
			rec_refused(&c, m, IGT_GUP_VMSPLICE);
		rec(&c, m, IGT_GUP_VMSPLICE, result(IGT_GUP_PINNED, 0, NULL));
		expect(&c, IGT_GUP_VERDICT_FAIL);
		igt_assert(c.lost == 1 && c.lost_pins == 1);
	}

	igt_describe("A flags-only verdict skips and prints the line the VM matrix reads (selftests/meson.build checks it).");
	igt_subtest("conclude-flags-only") {
		m = new_check(&c, PF_FLAGS);
		rec(&c, m, IGT_GUP_VMSPLICE,
		    result(IGT_GUP_UNAVAILABLE, EAGAIN, "cannot run"));
		igt_gup_check_verdict(&c);
		igt_gup_check_conclude(&c, "recorded mapping");
	}

	igt_describe("Calibration: references that behave calibrate every probe but futex, which must pin pages without ->mapping too.");
	igt_subtest("calibration-good") {
		struct igt_gup_calibration cal;

		calibration_all_good(&cal);
		igt_gup_calibration_judge(&cal);
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
			igt_assert_f(cal.calibrated[p], "%s: %s\n",
				     igt_gup_probes[p].name, cal.reason[p]);
	}

	igt_describe("Calibration: futex reporting EFAULT on the AF_PACKET ring is inconclusive.");
	igt_subtest("calibration-futex-unmapped") {
		struct igt_gup_calibration cal;

		calibration_all_good(&cal);
		cal.refs[2].res[IGT_GUP_FUTEX] = refused;
		igt_gup_calibration_judge(&cal);
		igt_assert_eq(cal.state[IGT_GUP_FUTEX], IGT_GUP_CAL_INCONCLUSIVE);
		igt_assert(!cal.calibrated[IGT_GUP_FUTEX]);
		igt_assert(cal.calibrated[IGT_GUP_VMSPLICE]);

		/* and where that reference does not exist */
		calibration_all_good(&cal);
		cal.refs[2].available = false;
		igt_gup_calibration_judge(&cal);
		igt_assert_eq(cal.state[IGT_GUP_FUTEX], IGT_GUP_CAL_INCONCLUSIVE);
		igt_assert(cal.calibrated[IGT_GUP_ODIRECT_READ]);
	}

	igt_describe("Calibration: O_DIRECT bytes moved into a VM_PFNMAP reference mean the filesystem copies, not a kernel bug.");
	igt_subtest("calibration-odirect-copies") {
		struct igt_gup_calibration cal;

		calibration_all_good(&cal);
		cal.refs[3].res[IGT_GUP_ODIRECT_READ] =
			result(IGT_GUP_PINNED, 0, "O_DIRECT read moved 4096 bytes");
		cal.refs[3].res[IGT_GUP_ODIRECT_READ].bytes = 4096;
		igt_gup_calibration_judge(&cal);
		igt_info("%s\n", cal.reason[IGT_GUP_ODIRECT_READ]);
		igt_assert_eq(cal.state[IGT_GUP_ODIRECT_READ], IGT_GUP_CAL_COPIES);
		igt_assert(!cal.pinned_pfnmap[IGT_GUP_ODIRECT_READ]);
		igt_assert(strstr(cal.reason[IGT_GUP_ODIRECT_READ],
				  "serves O_DIRECT by copying"));
	}

	igt_describe("Calibration: any other probe pinning a VM_PFNMAP reference is the kernel's bug.");
	igt_subtest("calibration-pins-pfnmap") {
		struct igt_gup_calibration cal;

		calibration_all_good(&cal);
		cal.refs[3].res[IGT_GUP_VMSPLICE] =
			result(IGT_GUP_PINNED, 0, "4096 bytes in the pipe");
		igt_gup_calibration_judge(&cal);
		igt_assert_eq(cal.state[IGT_GUP_VMSPLICE], IGT_GUP_CAL_PINS_PFNMAP);
		igt_assert(cal.pinned_pfnmap[IGT_GUP_VMSPLICE]);
	}

	igt_describe("Calibration: a probe refused on anonymous memory is not calibrated.");
	igt_subtest("calibration-refused-on-anon") {
		struct igt_gup_calibration cal;

		calibration_all_good(&cal);
		cal.refs[0].res[IGT_GUP_IO_URING] = refused;
		igt_gup_calibration_judge(&cal);
		igt_assert_eq(cal.state[IGT_GUP_IO_URING],
			      IGT_GUP_CAL_UNCALIBRATED);
	}
}
