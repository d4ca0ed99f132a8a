/* SPDX-License-Identifier: MIT */
/*
 * The GUP probes on huge mappings: at the first, a middle and the last
 * page of the first PMD and at the start of the second, read-direction
 * probes before any write (a write fault may split a read-only huge
 * entry), each run counted as GUP-fast and slow GUP where kprobes attach.
 * And their calibration: every probe must pin anonymous THP and a shmem
 * THP memfd, PMD-mapped as smaps shows, before a refusal on a huge PFN
 * entry means anything.
 */
#ifndef IGT_HUGE_PROBE_H
#define IGT_HUGE_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "igt_gup.h"
#include "igt_gup_check.h"
#include "igt_huge.h"

/* The size of a huge test mapping: two PMDs. */
#define IGT_HUGE_MAP_SIZE (2 * IGT_HUGE_PMD_SIZE)

#define IGT_HUGE_NUM_OFFSETS 4

struct igt_huge_offset {
	size_t off;
	const char *name;
};

extern const struct igt_huge_offset igt_huge_offsets[IGT_HUGE_NUM_OFFSETS];

/* One probe at one address. */
struct igt_huge_hit {
	bool ran;
	struct igt_gup_result res;
	int fast, slow;		/* kprobe hits; -1 where not traced */
};

struct igt_huge_probes {
	struct igt_huge_hit hit[IGT_GUP_NUM_PROBES][IGT_HUGE_NUM_OFFSETS];
};

/*
 * Runs each GUP probe with run[p] set at every offset of the
 * IGT_HUGE_MAP_SIZE mapping at @map: the probes that do not write
 * first, then the others (only if @writable). @t may be NULL.
 */
void igt_huge_probe_map(struct igt_huge_trace *t, void *map, bool writable,
			const bool run[IGT_GUP_NUM_PROBES],
			struct igt_huge_probes *out);

/* "REFUSED(EFAULT) [fast 1, slow 1]" */
void igt_huge_hit_str(const struct igt_gup_probe *probe,
		      const struct igt_huge_hit *hit, char *buf, size_t len);

/* The huge calibration references. */
#define IGT_HUGE_NUM_REFS 2

struct igt_huge_ref {
	const char *name;	/* "anon-thp", "shmem-thp" */
	bool available;
	char why[256];		/* why not, or the proof of the PMD mapping */
	bool still_huge;	/* still PMD-mapped after the probes */
	char after[128];
	struct igt_huge_probes probes;
};

struct igt_huge_calibration {
	char thp[256];		/* THP knobs changed for it */
	char trace[200];	/* kprobes used, or why none */
	struct igt_huge_ref refs[IGT_HUGE_NUM_REFS];
	bool calibrated[IGT_GUP_NUM_PROBES];
	char reason[IGT_GUP_NUM_PROBES][400];
};

/*
 * Maps anonymous memory and a memfd huge (changing THP knobs as
 * igt_thp_enable() does; igt_thp_restore() puts them back), proves the
 * PMD mappings from smaps, and runs every GUP probe on them. A probe is
 * calibrated for huge when it pinned both at every offset and the
 * mappings were still PMD-mapped afterwards. @t may be NULL.
 */
void igt_huge_calibrate(struct igt_huge_calibration *cal,
			struct igt_huge_trace *t);
void igt_huge_calibration_print(const struct igt_huge_calibration *cal,
				void (*print)(const char *line));

/*
 * The probes a huge check runs: GUP probes calibrated both ways (the
 * usual calibration and the huge one). Returns how many.
 */
int igt_huge_probe_set(const struct igt_gup_calibration *cal,
		       const struct igt_huge_calibration *hcal,
		       bool run[IGT_GUP_NUM_PROBES]);

/* Hands the outcomes to the mapping checker, which alone decides. */
void igt_huge_check_record(struct igt_gup_check *c, int map,
			   const struct igt_gup_calibration *cal,
			   const bool run[IGT_GUP_NUM_PROBES],
			   const struct igt_huge_probes *pr);

/*
 * lib/igt_huge_igt.c: the huge check as IGT subtests run it.
 *
 *	igt_huge_setup();		(once: kprobes, exit handler,
 *					 huge calibration)
 *	igt_huge_require_thp();		(shmem THP on, or skip)
 *	allocate, mmap IGT_HUGE_MAP_SIZE at a 2 MiB-aligned address
 *	igt_huge_check_map(&r, ptr, owner, &cal);
 *	unmap, release; igt_thp_restore();
 *	igt_huge_conclude(&r, "what");	(skip without a huge entry,
 *					 else the checker's verdict)
 */
struct igt_huge_result {
	enum igt_huge_verdict pmd[2];	/* the buffer's two PMDs */
	char why[2][640];
	int huge_entries;		/* how many of the two were huge */
	bool probed;
	int probes_run;
	struct igt_gup_check check;
};

void igt_huge_setup(void);
const struct igt_huge_calibration *igt_huge_calibration(void);
void igt_huge_calibration_show(void);		/* the whole table */
void igt_huge_calibration_summary(void);	/* one line */
void igt_huge_require_thp(void);
void igt_huge_check_map(struct igt_huge_result *r, void *ptr,
			enum igt_gup_owner owner,
			const struct igt_gup_calibration *cal);
void igt_huge_conclude(const struct igt_huge_result *r, const char *what);

/* For exit handlers: THP knobs back, kprobes removed. */
void igt_huge_exit_handler(int sig);

#endif /* IGT_HUGE_PROBE_H */
