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

#endif /* IGT_HUGE_PROBE_H */
