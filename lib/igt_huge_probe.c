// SPDX-License-Identifier: MIT
/*
 * GUP probes over huge mappings, and their calibration on PMD-mapped
 * anonymous and shmem memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_huge_probe.h"
#include "igt_thp.h"
#include "igt_vma.h"

#define PAGE_4K 4096ul

const struct igt_huge_offset igt_huge_offsets[IGT_HUGE_NUM_OFFSETS] = {
	{ 0, "first page" },
	{ IGT_HUGE_PMD_SIZE / 2, "middle page" },
	{ IGT_HUGE_PMD_SIZE - PAGE_4K, "last page of PMD 1" },
	{ IGT_HUGE_PMD_SIZE, "PMD 2" },
};

static void probe_one(struct igt_huge_trace *t, const struct igt_gup_probe *probe,
		      void *addr, bool writable, struct igt_huge_hit *hit)
{
	struct igt_huge_hits h;

	igt_huge_trace_begin(t);
	igt_gup_run(probe, addr, PAGE_4K, writable, &hit->res);
	igt_huge_trace_end(t, &h);
	hit->ran = true;
	if (t && t->live && t->gup) {
		hit->fast = h.gup_fast;
		hit->slow = h.gup_slow;
	} else {
		hit->fast = hit->slow = -1;
	}
}

void igt_huge_probe_map(struct igt_huge_trace *t, void *map, bool writable,
			const bool run[IGT_GUP_NUM_PROBES],
			struct igt_huge_probes *out)
{
	memset(out, 0, sizeof(*out));
	/* phase 0 reads the mapping only; phase 1 may write to it */
	for (int phase = 0; phase < 2; phase++) {
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			const struct igt_gup_probe *probe = &igt_gup_probes[p];

			if (!run[p] || probe->needs_write != (phase == 1))
				continue;
			if (phase == 1 && !writable)
				continue;
			for (int o = 0; o < IGT_HUGE_NUM_OFFSETS; o++)
				probe_one(t, probe,
					  (char *)map + igt_huge_offsets[o].off,
					  phase == 1, &out->hit[p][o]);
		}
	}
}

void igt_huge_hit_str(const struct igt_gup_probe *probe,
		      const struct igt_huge_hit *hit, char *buf, size_t len)
{
	char res[256];

	if (!hit->ran) {
		snprintf(buf, len, "not run");
		return;
	}
	igt_gup_result_str(probe, &hit->res, res, sizeof(res));
	if (hit->fast < 0)
		snprintf(buf, len, "%s", res);
	else
		snprintf(buf, len, "%s [gup-fast %d, slow %d]", res, hit->fast,
			 hit->slow);
}

/* --- calibration --- */

static void *map_aligned(int fd, int flags, size_t len)
{
	size_t resv_len = len + IGT_HUGE_PMD_SIZE;
	uintptr_t resv, start;
	void *p;

	p = mmap(NULL, resv_len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return p;
	resv = (uintptr_t)p;
	start = (resv + IGT_HUGE_PMD_SIZE - 1) & ~(IGT_HUGE_PMD_SIZE - 1);
	p = mmap((void *)start, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED,
		 fd, 0);
	if (p == MAP_FAILED) {
		munmap((void *)resv, resv_len);
		return p;
	}
	if (start > resv)
		munmap((void *)resv, start - resv);
	if (resv + resv_len > start + len)
		munmap((void *)(start + len), resv + resv_len - (start + len));
	return p;
}

/* The smaps line that shows the range PMD-mapped, in KiB. */
static unsigned long pmd_kb(const void *map, bool anon)
{
	struct igt_vma_info vma;

	if (igt_vma_lookup(map, &vma))
		return 0;
	return anon ? vma.anon_huge_kb : vma.shmem_pmd_kb;
}

static void calibrate_ref(struct igt_huge_ref *ref, bool anon,
			  struct igt_huge_trace *t, const bool *run)
{
	const char *line = anon ? "AnonHugePages" : "ShmemPmdMapped";
	unsigned long kb, want = IGT_HUGE_MAP_SIZE >> 10;
	int fd = -1;
	void *map;

	ref->name = anon ? "anon-thp" : "shmem-thp";
	if (!anon) {
		fd = memfd_create("igt-huge-calibration", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, IGT_HUGE_MAP_SIZE)) {
			snprintf(ref->why, sizeof(ref->why), "memfd: %s",
				 strerror(errno));
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	map = map_aligned(fd, anon ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED,
			  IGT_HUGE_MAP_SIZE);
	if (map == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	/* needed where the knob says madvise/advise, harmless elsewhere */
	madvise(map, IGT_HUGE_MAP_SIZE, MADV_HUGEPAGE);
	/* written, not read: a read fault maps anon's huge zero page */
	memset(map, 0x5a, IGT_HUGE_MAP_SIZE);

	kb = pmd_kb(map, anon);
	if (kb < want) {
		snprintf(ref->why, sizeof(ref->why),
			 "not PMD-mapped: smaps %s %lu kB of %lu", line, kb,
			 want);
	} else {
		ref->available = true;
		snprintf(ref->why, sizeof(ref->why), "smaps %s: %lu kB", line,
			 kb);
		igt_huge_probe_map(t, map, true, run, &ref->probes);
		kb = pmd_kb(map, anon);
		ref->still_huge = kb >= want;
		snprintf(ref->after, sizeof(ref->after),
			 "after the probes: %s %lu kB", line, kb);
	}
	munmap(map, IGT_HUGE_MAP_SIZE);
	if (fd >= 0)
		close(fd);
}

void igt_huge_calibrate(struct igt_huge_calibration *cal,
			struct igt_huge_trace *t)
{
	bool run[IGT_GUP_NUM_PROBES];

	memset(cal, 0, sizeof(*cal));
	igt_thp_enable(true, true, cal->thp, sizeof(cal->thp));
	snprintf(cal->trace, sizeof(cal->trace), "%s",
		 t ? t->why : "no kprobes asked for");
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
		run[p] = igt_gup_probes[p].is_gup;
	for (int r = 0; r < IGT_HUGE_NUM_REFS; r++)
		calibrate_ref(&cal->refs[r], r == 0, t, run);

	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		const struct igt_gup_probe *probe = &igt_gup_probes[p];
		char *why = cal->reason[p];
		size_t wl = sizeof(cal->reason[p]);
		bool ok = probe->is_gup;

		if (!ok)
			snprintf(why, wl, "not a GUP probe");
		for (int r = 0; r < IGT_HUGE_NUM_REFS && ok; r++) {
			const struct igt_huge_ref *ref = &cal->refs[r];

			if (!ref->available) {
				snprintf(why, wl, "%s: %s", ref->name, ref->why);
				ok = false;
				break;
			}
			for (int o = 0; o < IGT_HUGE_NUM_OFFSETS && ok; o++) {
				const struct igt_huge_hit *h =
					&ref->probes.hit[p][o];
				char s[256];

				if (h->ran && h->res.status == IGT_GUP_PINNED)
					continue;
				igt_huge_hit_str(probe, h, s, sizeof(s));
				snprintf(why, wl, "%s at %s of %s: %s",
					 h->res.status == IGT_GUP_REFUSED ?
					 "refused" : "could not run",
					 igt_huge_offsets[o].name, ref->name, s);
				ok = false;
			}
			if (ok && !ref->still_huge) {
				snprintf(why, wl, "%s no longer PMD-mapped (%s)",
					 ref->name, ref->after);
				ok = false;
			}
		}
		cal->calibrated[p] = ok;
		if (ok)
			snprintf(why, wl,
				 "pinned PMD-mapped anon-thp and shmem-thp at all %d offsets",
				 IGT_HUGE_NUM_OFFSETS);
	}
}

void igt_huge_calibration_print(const struct igt_huge_calibration *cal,
				void (*print)(const char *line))
{
	char line[1024];

	snprintf(line, sizeof(line), "THP knobs: %s%s",
		 cal->thp[0] ? cal->thp : "unchanged",
		 cal->thp[0] ? " (put back after the calibration)" : "");
	print(line);
	snprintf(line, sizeof(line), "kprobes: %s", cal->trace);
	print(line);
	for (int r = 0; r < IGT_HUGE_NUM_REFS; r++) {
		const struct igt_huge_ref *ref = &cal->refs[r];

		snprintf(line, sizeof(line), "reference %s: %s%s%s",
			 ref->name ? ref->name : "?",
			 ref->available ? "" : "unavailable: ", ref->why,
			 ref->available ? "; " : "");
		if (ref->available)
			strncat(line, ref->after, sizeof(line) - strlen(line) - 1);
		print(line);
	}
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		const struct igt_gup_probe *probe = &igt_gup_probes[p];
		size_t n;

		if (!probe->is_gup)
			continue;
		for (int r = 0; r < IGT_HUGE_NUM_REFS; r++) {
			const struct igt_huge_ref *ref = &cal->refs[r];

			if (!ref->available)
				continue;
			n = snprintf(line, sizeof(line), "probe %-17s %-9s",
				     probe->name, ref->name);
			for (int o = 0; o < IGT_HUGE_NUM_OFFSETS &&
			     n < sizeof(line); o++) {
				char s[256];

				igt_huge_hit_str(probe, &ref->probes.hit[p][o],
						 s, sizeof(s));
				n += snprintf(line + n, sizeof(line) - n,
					      " +0x%zx=%s",
					      igt_huge_offsets[o].off, s);
			}
			print(line);
		}
		snprintf(line, sizeof(line), "probe %-17s -> %s: %s",
			 probe->name,
			 cal->calibrated[p] ? "calibrated for huge" :
			 "NOT calibrated for huge", cal->reason[p]);
		print(line);
	}
}

int igt_huge_probe_set(const struct igt_gup_calibration *cal,
		       const struct igt_huge_calibration *hcal,
		       bool run[IGT_GUP_NUM_PROBES])
{
	int n = 0;

	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		run[p] = igt_gup_probes[p].is_gup && cal->calibrated[p] &&
			 hcal->calibrated[p];
		n += run[p];
	}
	return n;
}

void igt_huge_check_record(struct igt_gup_check *c, int map,
			   const struct igt_gup_calibration *cal,
			   const bool run[IGT_GUP_NUM_PROBES],
			   const struct igt_huge_probes *pr)
{
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		if (!igt_gup_probes[p].is_gup)
			continue;
		if (!run[p]) {
			/* not trusted here: the usual calibration's state,
			 * or uncalibrated for huge */
			igt_gup_check_record(c, map, 0, p,
					     cal->calibrated[p] ?
					     IGT_GUP_CAL_UNCALIBRATED :
					     cal->state[p], NULL);
			continue;
		}
		for (int o = 0; o < IGT_HUGE_NUM_OFFSETS; o++) {
			const struct igt_huge_hit *h = &pr->hit[p][o];

			if (h->ran)
				igt_gup_check_record(c, map,
						     igt_huge_offsets[o].off, p,
						     IGT_GUP_CAL_OK, &h->res);
		}
	}
}
