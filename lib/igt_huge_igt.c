// SPDX-License-Identifier: MIT
/*
 * The huge check as an IGT subtest runs it: the kprobes and the huge
 * calibration once per process, the THP knob for the buffer, the proof
 * of the huge entries, the probes, and the one verdict.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "igt_gup_facts.h"
#include "igt_huge_probe.h"
#include "igt_thp.h"
#include "igt_vma.h"

/* static: the exit handler may run after any function returned */
static struct igt_huge_trace trace;
static struct igt_huge_calibration hcal;
static bool set_up;

static void print_line(const char *line)
{
	igt_info("%s\n", line);
}

/* The kprobe hits themselves, as the kernel wrote them. */
static void print_trace(const char *text)
{
	const char *line = text, *end;

	for (; line && *line; line = *end ? end + 1 : NULL) {
		end = strchrnul(line, '\n');
		if (*line != '#' && end > line)
			igt_info("  trace: %.*s\n", (int)(end - line), line);
	}
}

void igt_huge_exit_handler(int sig)
{
	igt_thp_restore();
	igt_huge_trace_close(&trace);
}

void igt_huge_setup(void)
{
	if (set_up)
		return;
	set_up = true;
	igt_install_exit_handler(igt_huge_exit_handler);
	if (igt_huge_trace_open(&trace))
		igt_info("no kprobes: %s; huge entries are proven by fault counts alone\n",
			 trace.why);
	igt_huge_calibrate(&hcal, &trace);
	/* the knobs go back now; a huge subtest sets what it needs */
	igt_thp_restore();
}

void igt_huge_calibration_summary(void)
{
	char names[256] = "";
	size_t n = 0;

	for (int p = 0; p < IGT_GUP_NUM_PROBES && n < sizeof(names); p++)
		if (hcal.calibrated[p])
			n += snprintf(names + n, sizeof(names) - n, "%s%s",
				      n ? ", " : "", igt_gup_probes[p].name);
	igt_info("huge calibration (see huge-calibration): %s; %s\n",
		 names[0] ? names : "no probe calibrated", trace.why);
}

void igt_huge_calibration_show(void)
{
	igt_huge_calibration_print(&hcal, print_line);
}

const struct igt_huge_calibration *igt_huge_calibration(void)
{
	return &hcal;
}

void igt_huge_require_thp(void)
{
	char said[256];
	int r;

	r = igt_thp_enable(false, true, said, sizeof(said));
	if (said[0])
		igt_info("THP knobs: %s (put back when the subtest ends)\n",
			 said);
	igt_require_f(r == 0, "shmem THP cannot be turned on: %s%s\n", said,
		      r == -ENOENT ? " (kernel without CONFIG_TRANSPARENT_HUGEPAGE)" :
		      "");
}

void igt_huge_check_map(struct igt_huge_result *r, void *ptr,
			enum igt_gup_owner owner,
			const struct igt_gup_calibration *cal)
{
	bool run[IGT_GUP_NUM_PROBES];
	struct igt_huge_probes pr;
	struct igt_vma_info vma;
	int map, hint;

	memset(r, 0, sizeof(*r));
	igt_huge_calibration_summary();
	/* a warning while the kernel maps the buffer counts too */
	igt_gup_check_begin(&r->check, owner);
	igt_assert_f(((uintptr_t)ptr & (IGT_HUGE_PMD_SIZE - 1)) == 0,
		     "mapping at %p is not 2 MiB aligned\n", ptr);
	/* MADV_HUGEPAGE: for kernels whose knob says advise */
	hint = madvise(ptr, IGT_HUGE_MAP_SIZE, MADV_HUGEPAGE) ? errno : 0;
	igt_assert_eq(igt_vma_lookup(ptr, &vma), 0);
	igt_info("mapping %p, 4 MiB, 2 MiB aligned; MADV_HUGEPAGE: %s; VmFlags: %s\n",
		 ptr, hint ? strerror(hint) : "ok", vma.vmflags);

	for (int i = 0; i < 2; i++) {
		struct igt_huge_evidence ev;
		char evs[400];

		r->pmd[i] = igt_huge_examine(&trace,
					     (char *)ptr + i * IGT_HUGE_PMD_SIZE,
					     &ev, r->why[i], sizeof(r->why[i]));
		igt_huge_evidence_str(&ev, evs, sizeof(evs));
		igt_info("PMD %d (+0x%lx): %s: %s\n  evidence: %s\n", i + 1,
			 i * IGT_HUGE_PMD_SIZE, igt_huge_verdict_name(r->pmd[i]),
			 r->why[i], evs);
		print_trace(igt_huge_trace_text());
		r->huge_entries += r->pmd[i] == IGT_HUGE_YES;
	}
	igt_info("huge entries seen: %d of 2 PMDs\n", r->huge_entries);
	{
		char fact[720];

		snprintf(fact, sizeof(fact), "%d of 2 PMDs huge; PMD 1 is %s: %s",
			 r->huge_entries, igt_huge_verdict_name(r->pmd[0]),
			 r->why[0]);
		igt_gup_facts_huge(fact);
	}
	if (r->pmd[0] != IGT_HUGE_YES) {
		igt_gup_check_end(&r->check);
		return;
	}

	r->probes_run = igt_huge_probe_set(cal, &hcal, run);
	map = igt_gup_check_note_vma(&r->check, IGT_HUGE_MAP_SIZE,
				     vma.vmflags);
	igt_huge_probe_map(&trace, ptr, true, run, &pr);
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		const struct igt_gup_probe *probe = &igt_gup_probes[p];

		if (!run[p])
			continue;
		for (int o = 0; o < IGT_HUGE_NUM_OFFSETS; o++) {
			char s[320];

			igt_huge_hit_str(probe, &pr.hit[p][o], s, sizeof(s));
			igt_info("%-17s %s at %s (+0x%zx): %s\n", probe->name,
				 probe->needs_write ? "write" : "read",
				 igt_huge_offsets[o].name,
				 igt_huge_offsets[o].off, s);
		}
	}
	igt_huge_check_record(&r->check, map, cal, run, &pr);
	igt_gup_check_end(&r->check);
	r->probed = true;
}

void igt_huge_conclude(const struct igt_huge_result *r, const char *what)
{
	if (!r->probed && r->check.kmsg_warnings)
		igt_gup_check_conclude(&r->check, what);	/* fails */
	if (!r->probed) {
		igt_skip("%s: no huge entry to probe: %s%s\n", what, r->why[0],
			 r->pmd[0] == IGT_HUGE_NO ?
			 " (this kernel maps the buffer with base pages)" : "");
	}
	igt_gup_check_conclude(&r->check, what);
}
