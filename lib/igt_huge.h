/* SPDX-License-Identifier: MIT */
/*
 * Huge entries: proof that the kernel mapped a PMD-sized range of a
 * mapping with one page-table entry.
 *
 * Two signals, each printed with the verdict:
 * - minor faults (getrusage) while reading the rest of a 2 MiB range after
 *   one read fault at its start: 0 when one entry covers the range, one
 *   per page (or per prefault batch) for 4 KiB entries. Works everywhere.
 * - for a VMA that is not VM_PFNMAP (pages handed to core mm), smaps'
 *   PMD-mapped counters grown by the first read.
 * - kprobe/kretprobe hits on vmf_insert_pfn_pmd (and _pud; the _prot
 *   variants on 5.x) during that first fault, with their return values:
 *   VM_FAULT_NOPAGE means the PFN entry is in the page table; and on
 *   do_set_pmd, returning 0 when it mapped a page-cache THP (a driver
 *   that hands shmem pages to core mm, as 5.10's vgem did). Needs
 *   tracefs and CONFIG_KPROBE_EVENTS.
 * Page walks (pagemap, PAGEMAP_SCAN, smaps FilePmdMapped) skip VM_PFNMAP
 * mappings and say nothing here. igt_huge_decide() is the rule, pure.
 */
#ifndef IGT_HUGE_H
#define IGT_HUGE_H

#include <stdbool.h>
#include <stddef.h>

#include "igt_kprobe.h"

#define IGT_HUGE_PMD_SIZE (2ul << 20)

#define IGT_VM_FAULT_NOPAGE 0x100ul
#define IGT_VM_FAULT_FALLBACK 0x800ul

/* Minor faults taken reading one PMD-sized range, first page first. */
struct igt_huge_faults {
	bool valid;		/* counted (getrusage worked) */
	long first;		/* faults of the read of the first byte */
	long rest;		/* faults reading one byte of every other page */
	long rest_pages;	/* how many other pages were read */
};

/* What the kprobes saw, for this process only. */
struct igt_huge_hits {
	int pmd_calls, pmd_nopage, pmd_other;	/* vmf_insert_pfn_pmd */
	int pud_calls, pud_nopage, pud_other;	/* vmf_insert_pfn_pud */
	int setpmd_calls, setpmd_ok;	/* do_set_pmd: a page-cache THP */
	unsigned long other_ret;	/* the last return that was not NOPAGE */
	char caller[64];	/* the insert's caller, from the kretprobe */
	int gup_fast;		/* GUP-fast entered */
	int gup_slow;		/* slow GUP (__get_user_pages) ran */
	int foreign;		/* lines of other processes, ignored */
};

struct igt_huge_evidence {
	struct igt_huge_faults faults;
	bool traced;		/* the insert kprobes were live */
	bool setpmd_traced;	/* and the one on do_set_pmd */
	struct igt_huge_hits hits;
	/*
	 * smaps' AnonHugePages + ShmemPmdMapped + FilePmdMapped of the VMA,
	 * grown by the first read: page-backed PMDs. Valid only where the
	 * VMA is not VM_PFNMAP/VM_IO, which smaps' page walk skips.
	 */
	bool smaps_valid;
	long smaps_pmd_kb;
};

enum igt_huge_verdict {
	IGT_HUGE_YES,		/* a PMD (or PUD) entry maps the range */
	IGT_HUGE_NO,		/* base-page entries map it */
	IGT_HUGE_UNKNOWN,	/* the signals are missing or disagree */
};

/*
 * The rule. YES needs the fault count to show one entry (0 faults over
 * the rest after 1+ for the first read) and, where a signal that sees the
 * inserts was live, a huge insert: a vmf_insert_pfn_pmd/_pud that
 * returned VM_FAULT_NOPAGE, a do_set_pmd that returned 0, or smaps
 * showing 2 MiB more PMD-mapped (not VM_PFNMAP); with no such signal the
 * fault count alone. NO needs the
 * faults to show several entries with no successful huge insert; anything
 * else is UNKNOWN. @why says which signals decided. Pure.
 */
enum igt_huge_verdict igt_huge_decide(const struct igt_huge_evidence *ev,
				      char *why, size_t why_len);
const char *igt_huge_verdict_name(enum igt_huge_verdict v);

/*
 * Counts a trace instance's text for process @pid: the events "pmd",
 * "pmd_ret", "pud", "pud_ret", "setpmd", "setpmd_ret", "gup_fast",
 * "gup_slow" as igt_huge_trace names them. Pure.
 */
void igt_huge_parse_trace(const char *text, int pid,
			  struct igt_huge_hits *hits);

/* The kprobes: inserts always, GUP fast and slow where they attach. */
struct igt_huge_trace {
	struct igt_kprobe_set ks;
	bool live;		/* the insert probes are in place */
	bool gup;		/* the GUP fast and slow probes are too */
	bool setpmd;		/* do_set_pmd is probed (not inlined) */
	char why[200];		/* why not, or which symbols */
};

/* 0, or -errno with t->why saying why there are no kprobes. */
int igt_huge_trace_open(struct igt_huge_trace *t);
void igt_huge_trace_begin(struct igt_huge_trace *t);
void igt_huge_trace_end(struct igt_huge_trace *t, struct igt_huge_hits *h);
void igt_huge_trace_close(struct igt_huge_trace *t);
/* The text the last igt_huge_trace_end() read, headers included. */
const char *igt_huge_trace_text(void);

/* Reads one byte of each page of [addr, addr + len), counting faults. */
void igt_huge_count_faults(const void *addr, size_t len,
			   struct igt_huge_faults *f);

/*
 * The first touch of the PMD-sized range at @addr (2 MiB aligned, not
 * yet faulted in): reads it, gathering both signals (@t may be NULL or
 * not live), and decides.
 */
enum igt_huge_verdict igt_huge_examine(struct igt_huge_trace *t,
				       const void *addr,
				       struct igt_huge_evidence *ev,
				       char *why, size_t why_len);

/* One line: the fault counts and the kprobe hits. */
void igt_huge_evidence_str(const struct igt_huge_evidence *ev, char *buf,
			   size_t len);

#endif /* IGT_HUGE_H */
