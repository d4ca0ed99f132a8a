// SPDX-License-Identifier: MIT
/*
 * The huge-entry evidence rule, fed recorded fault counts and kprobe
 * output, and the fault count itself on this machine's anonymous memory.
 */

/**
 * TEST: huge evidence
 * Category: Infrastructure
 * Description: Fault counts and kprobe trace text in, huge yes/no out:
 *	the rule behind every huge verdict, checked without a guest.
 *
 * SUBTEST: decide
 * Description: Each combination of fault count and kprobe hits gives
 *	the verdict the rule demands, and says which signals decided.
 *
 * SUBTEST: parse-trace
 * Description: Trace text as 7.2 (recorded in a guest), 6.12 and 5.10
 *	print it (kprobe and kretprobe lines, decimal and hex return values,
 *	a TGID column, other processes' lines, headers) counts the right
 *	hits and return values for this process only.
 *
 * SUBTEST: parse-malformed
 * Description: Truncated and hostile trace text counts nothing it
 *	should not and reads nothing out of bounds.
 *
 * SUBTEST: thp-choice
 * Description: The bracketed choice of a THP knob is read from each
 *	kernel's text; text without one is an error.
 *
 * SUBTEST: live-faults
 * Description: On this machine, a read fault on anonymous THP memory
 *	maps the whole 2 MiB at once (huge zero page) and the same with
 *	MADV_NOHUGEPAGE takes one fault per page; skips where THP is off.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_huge.h"
#include "igt_thp.h"

IGT_TEST_DESCRIPTION("Unit test of the huge-entry evidence rule.");

static const struct decide_case {
	const char *name;
	struct igt_huge_evidence ev;
	enum igt_huge_verdict want;
	const char *says;	/* a piece of the reason */
} decide_cases[] = {
	{ "7.2 shmem helper: PMD inserted, 0 faults",
	  { .faults = { true, 1, 0, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pmd_calls = 1, .pmd_nopage = 1,
	    .caller = "drm_gem_shmem_fault" } },
	  IGT_HUGE_YES, "VM_FAULT_NOPAGE 1 time" },
	{ "no tracefs: 0 faults alone",
	  { .faults = { true, 1, 0, 511 }, .traced = false, .setpmd_traced = false,
	    .hits = { 0 } },
	  IGT_HUGE_YES, "no kprobes" },
	{ "6.12 shmem helper: 4 KiB inserts",
	  { .faults = { true, 1, 511, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { 0 } },
	  IGT_HUGE_NO, "one per page" },
	{ "6.12 TTM: 16-page prefault",
	  { .faults = { true, 1, 32, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { 0 } },
	  IGT_HUGE_NO, "about 16 pages per fault" },
	{ "no tracefs: 511 faults",
	  { .faults = { true, 1, 511, 511 }, .traced = false, .setpmd_traced = false,
	    .hits = { 0 } },
	  IGT_HUGE_NO, "base-page" },
	{ "insert fell back",
	  { .faults = { true, 1, 511, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pmd_calls = 1, .pmd_other = 1,
	    .other_ret = IGT_VM_FAULT_FALLBACK } },
	  IGT_HUGE_NO, "VM_FAULT_FALLBACK" },
	{ "0 faults but no insert seen",
	  { .faults = { true, 1, 0, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { 0 } },
	  IGT_HUGE_UNKNOWN, "no huge insert succeeded" },
	{ "5.10 vgem: page-cache THP by do_set_pmd",
	  { .faults = { true, 1, 0, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .setpmd_calls = 1, .setpmd_ok = 1 } },
	  IGT_HUGE_YES, "do_set_pmd mapped" },
	{ "do_set_pmd fell back, 4 KiB entries",
	  { .faults = { true, 1, 511, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .setpmd_calls = 1 } },
	  IGT_HUGE_NO, "base-page" },
	{ "insert but the rest faulted",
	  { .faults = { true, 1, 40, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pmd_calls = 1, .pmd_nopage = 1 } },
	  IGT_HUGE_UNKNOWN, "did not stay" },
	{ "mapped before the first read",
	  { .faults = { true, 0, 0, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pmd_calls = 1, .pmd_nopage = 1 } },
	  IGT_HUGE_UNKNOWN, "mapped before" },
	{ "faults not counted",
	  { .faults = { false, 0, 0, 0 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pmd_calls = 1, .pmd_nopage = 1 } },
	  IGT_HUGE_UNKNOWN, "not counted" },
	{ "PUD insert",
	  { .faults = { true, 1, 0, 511 }, .traced = true, .setpmd_traced = true,
	    .hits = { .pud_calls = 1, .pud_nopage = 1 } },
	  IGT_HUGE_YES, "vmf_insert_pfn_pud 1" },
	{ "5.10 vgem: smaps shows the shmem THP PMD-mapped",
	  { .faults = { true, 1, 0, 511 }, .traced = true, .setpmd_traced = false,
	    .hits = { 0 }, .smaps_valid = true, .smaps_pmd_kb = 2048 },
	  IGT_HUGE_YES, "page-backed PMD" },
	{ "not VM_PFNMAP, 0 faults, smaps shows nothing",
	  { .faults = { true, 1, 0, 511 }, .traced = false, .setpmd_traced = false,
	    .hits = { 0 }, .smaps_valid = true, .smaps_pmd_kb = 0 },
	  IGT_HUGE_UNKNOWN, "smaps shows no PMD-mapped page" },
	{ "smaps PMD but the rest faulted",
	  { .faults = { true, 1, 511, 511 }, .traced = false, .setpmd_traced = false,
	    .hits = { 0 }, .smaps_valid = true, .smaps_pmd_kb = 2048 },
	  IGT_HUGE_UNKNOWN, "did not stay" },
	{ "hits while not traced are ignored",
	  { .faults = { true, 1, 511, 511 }, .traced = false, .setpmd_traced = false,
	    .hits = { .pmd_calls = 1, .pmd_nopage = 1 } },
	  IGT_HUGE_NO, "no kprobes" },
};

/*
 * 7.2: recorded in a QEMU guest (gem_mmap_gup@dumb-huge on bochs-drm,
 * Debian 7.2.13): fentry kprobes sit at +0x4, and the kretprobe prints
 * its return value in decimal (256 = VM_FAULT_NOPAGE). Lines of another
 * process (77) and the GUP lines are added in the same format.
 */
static const char trace_72[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 4/4   #P:1\n"
	"#\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n"
	"    gem_mmap_gup-181     [000] .....    18.386179: pmd: (vmf_insert_pfn_pmd+0x4/0xc0)\n"
	"    gem_mmap_gup-181     [000] .....    18.386253: pmd_ret: (drm_gem_shmem_any_fault+0x16f/0x2c0 [drm_shmem_helper] <- vmf_insert_pfn_pmd) ret=256\n"
	"  kworker/u2:1-77      [000] .....    18.390000: pmd: (vmf_insert_pfn_pmd+0x4/0xc0)\n"
	"  kworker/u2:1-77      [000] .....    18.390100: pmd_ret: (foo+0x1/0x2 <- vmf_insert_pfn_pmd) ret=256\n"
	"    gem_mmap_gup-181     [000] .....    18.400000: setpmd: (do_set_pmd+0x4/0x2a0)\n"
	"    gem_mmap_gup-181     [000] .....    18.400001: setpmd_ret: (filemap_map_pages+0x400/0x6a0 <- do_set_pmd) ret=2048\n"
	"    gem_mmap_gup-181     [000] .....    18.401000: gup_fast: (gup_fast_fallback+0x4/0x190)\n"
	"    gem_mmap_gup-181     [000] .....    18.401090: gup_slow: (__get_user_pages+0x4/0x7a0)\n";

static const char trace_612_fallback[] =
	"# tracer: nop\n"
	"   drm_ttm_pfnma-2481    [000] d..1. 12.000001: pmd: (vmf_insert_pfn_pmd+0x0/0x1e0)\n"
	"   drm_ttm_pfnma-2481    [000] d..1. 12.000002: pmd_ret: (drm_gem_shmem_fault+0x99/0x200 <- vmf_insert_pfn_pmd) ret=0x800\n"
	"   drm_ttm_pfnma-2481    [000] ..... 12.000100: gup_fast: (gup_fast_fallback+0x0/0x190)\n"
	"   drm_ttm_pfnma-2481    [000] ..... 12.000200: gup_fast: (gup_fast_fallback+0x0/0x190)\n";

/* 5.10: four flag characters, the _prot symbol, and a TGID column */
static const char trace_510[] =
	"# tracer: nop\n"
	"  gem mmap-gup-2481  ( 2481) [000] d... 88.123456: pud: (vmf_insert_pfn_pud_prot+0x0/0x1c0)\n"
	"  gem mmap-gup-2481  ( 2481) [000] d... 88.123460: pud_ret: (ttm_bo_vm_fault_reserved+0x2a0/0x330 [ttm] <- vmf_insert_pfn_pud_prot) ret=0x100\n"
	"  gem mmap-gup-2481  ( 2481) [000] .... 88.200000: gup_fast: (internal_get_user_pages_fast+0x0/0x1a0)\n";

static void decide(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(decide_cases); i++) {
		const struct decide_case *c = &decide_cases[i];
		enum igt_huge_verdict v;
		char why[512];

		v = igt_huge_decide(&c->ev, why, sizeof(why));
		igt_info("%s: %s (%s)\n", c->name, igt_huge_verdict_name(v),
			 why);
		igt_assert_f(v == c->want, "%s: got %s, want %s\n", c->name,
			     igt_huge_verdict_name(v),
			     igt_huge_verdict_name(c->want));
		igt_assert_f(strstr(why, c->says),
			     "%s: reason lacks \"%s\": %s\n", c->name, c->says,
			     why);
	}
}

static void parse_trace(void)
{
	struct igt_huge_hits h;

	igt_huge_parse_trace(trace_72, 181, &h);
	igt_assert_eq(h.pmd_calls, 1);
	igt_assert_eq(h.pmd_nopage, 1);
	igt_assert_eq(h.pmd_other, 0);
	igt_assert_eq(h.pud_calls, 0);
	igt_assert_eq(h.gup_fast, 1);
	igt_assert_eq(h.gup_slow, 1);
	igt_assert_eq(h.foreign, 2);
	igt_assert_eq(h.setpmd_calls, 1);
	igt_assert_eq(h.setpmd_ok, 0);
	igt_assert_f(!strcmp(h.caller, "drm_gem_shmem_any_fault"),
		     "caller %s\n", h.caller);

	igt_huge_parse_trace(trace_612_fallback, 2481, &h);
	igt_assert_eq(h.pmd_calls, 1);
	igt_assert_eq(h.pmd_nopage, 0);
	igt_assert_eq(h.pmd_other, 1);
	igt_assert_eq(h.other_ret, IGT_VM_FAULT_FALLBACK);
	igt_assert_eq(h.gup_fast, 2);
	igt_assert_eq(h.gup_slow, 0);

	igt_huge_parse_trace(trace_510, 2481, &h);
	igt_assert_eq(h.pud_calls, 1);
	igt_assert_eq(h.pud_nopage, 1);
	igt_assert_eq(h.pmd_calls, 0);
	igt_assert_eq(h.gup_fast, 1);
	igt_assert_f(!strcmp(h.caller, "ttm_bo_vm_fault_reserved"),
		     "caller %s\n", h.caller);

	/* the same text for another process is all foreign */
	igt_huge_parse_trace(trace_72, 1, &h);
	igt_assert_eq(h.pmd_calls + h.pmd_nopage + h.gup_fast, 0);
	igt_assert_eq(h.foreign, 8);
}

static void parse_malformed(void)
{
	static const char *const bad[] = {
		"",
		"\n\n\n",
		"pmd_ret: (x <- vmf_insert_pfn_pmd) ret=0x100",
		"-2481 [000] pmd_ret: (",
		"    x-2481    [000] ..... 1.0: pmd_ret: (",
		"    x-2481    [000] ..... 1.0: pmd_ret: (drm+0x1/0x2 <- y) ret=",
		"[[[[[[[[[[[[[[[[[[[[[[[[ -2481 ] pmd: (",
		"    -    [000] ..... 1.0: pmd: (vmf_insert_pfn_pmd+0x0/0x1)",
		"    x-2481(  )[000] ..... 1.0: gup_fast: (a",
		"    x-2481    [000] ..... 1.0: gup_slow:",
	};
	struct igt_huge_hits h;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		igt_huge_parse_trace(bad[i], 2481, &h);
		igt_assert_f(h.pmd_nopage + h.pud_nopage + h.pmd_calls +
			     h.gup_slow <= 1,
			     "case %zu counted too much\n", i);
	}
	/* a NOPAGE return in a well-formed line still counts */
	igt_huge_parse_trace(bad[5], 2481, &h);
	igt_assert_eq(h.pmd_nopage, 0);
	igt_assert_eq(h.pmd_other, 1);
}

static void thp_choice(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "always [madvise] never\n", "madvise" },
		{ "always within_size advise [never] deny force\n", "never" },
		{ "[always] inherit madvise never\n", "always" },
		{ "always inherit within_size advise [inherit] never\n",
		  "inherit" },
	};
	char val[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		igt_assert_eq(igt_thp_parse_choice(cases[i].text, val,
						   sizeof(val)), 0);
		igt_assert_f(!strcmp(val, cases[i].want), "%s -> %s\n",
			     cases[i].text, val);
	}
	igt_assert_eq(igt_thp_parse_choice("always madvise never", val,
					   sizeof(val)), -EINVAL);
	igt_assert_eq(igt_thp_parse_choice("always [] never", val,
					   sizeof(val)), -EINVAL);
	igt_assert_eq(igt_thp_parse_choice("[always", val, sizeof(val)),
		      -EINVAL);
	igt_assert_eq(igt_thp_parse_choice("[averyveryverylongchoice]", val,
					   4), -ENAMETOOLONG);
}

static void *map_anon_aligned(void)
{
	size_t len = 2 * IGT_HUGE_PMD_SIZE;
	uintptr_t a;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	igt_assert(p != MAP_FAILED);
	a = ((uintptr_t)p + IGT_HUGE_PMD_SIZE - 1) & ~(IGT_HUGE_PMD_SIZE - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((void *)(a + IGT_HUGE_PMD_SIZE),
	       (uintptr_t)p + len - a - IGT_HUGE_PMD_SIZE);
	return (void *)a;
}

static void live_faults(void)
{
	struct igt_huge_evidence ev = { .traced = false };
	char thp[32], zero[8] = "", why[512];
	enum igt_huge_verdict v;
	void *p;

	igt_require_f(!igt_thp_get("enabled", thp, sizeof(thp)) &&
		      strcmp(thp, "never"),
		      "THP is off or absent here (enabled: %s)\n", thp);
	if (igt_thp_get("use_zero_page", zero, sizeof(zero))) {
		FILE *f = fopen(IGT_THP_DIR "/use_zero_page", "re");

		if (f) {
			if (!fgets(zero, sizeof(zero), f))
				zero[0] = '\0';
			fclose(f);
		}
	}

	p = map_anon_aligned();
	madvise(p, IGT_HUGE_PMD_SIZE, MADV_NOHUGEPAGE);
	igt_huge_count_faults(p, IGT_HUGE_PMD_SIZE, &ev.faults);
	v = igt_huge_decide(&ev, why, sizeof(why));
	munmap(p, IGT_HUGE_PMD_SIZE);
	igt_info("MADV_NOHUGEPAGE: %s (%s)\n", igt_huge_verdict_name(v), why);
	igt_assert_f(v == IGT_HUGE_NO, "%s\n", why);
	/* anonymous fault-around does not exist: one fault per page */
	igt_assert_eq(ev.faults.rest, ev.faults.rest_pages);

	igt_require_f(zero[0] == '1',
		      "use_zero_page is off: a read fault maps no huge entry\n");
	p = map_anon_aligned();
	madvise(p, IGT_HUGE_PMD_SIZE, MADV_HUGEPAGE);
	igt_huge_count_faults(p, IGT_HUGE_PMD_SIZE, &ev.faults);
	v = igt_huge_decide(&ev, why, sizeof(why));
	munmap(p, IGT_HUGE_PMD_SIZE);
	igt_info("MADV_HUGEPAGE: %s (%s)\n", igt_huge_verdict_name(v), why);
	igt_assert_f(v == IGT_HUGE_YES, "%s\n", why);
}

igt_main
{
	igt_describe("Fault counts and kprobe hits in, verdict out.");
	igt_subtest("decide")
		decide();

	igt_describe("Trace text in the formats of 5.10, 6.12 and 7.2.");
	igt_subtest("parse-trace")
		parse_trace();

	igt_describe("Broken trace text counts nothing it should not.");
	igt_subtest("parse-malformed")
		parse_malformed();

	igt_describe("The bracketed choice of a THP knob.");
	igt_subtest("thp-choice")
		thp_choice();

	igt_describe("Fault counts on this machine's anonymous memory.");
	igt_subtest("live-faults")
		live_faults();
}
