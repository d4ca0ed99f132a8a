/* SPDX-License-Identifier: MIT */
/*
 * The mapping checker: can get_user_pages pin this mapping, and on what
 * evidence. gem_mmap_gup and drm_ttm_pfnmap (and the huge-entry checks)
 * all decide through it, so the rules below live here only.
 *
 * Use, for one subtest:
 *
 *	struct igt_gup_check c;
 *
 *	igt_gup_check_begin(&c, IGT_GUP_OWNER_DRIVER);	(starts watching kmsg)
 *	for each buffer, mapped and faulted in:
 *		igt_gup_check_mapping(&c, &cal, ptr, len, NULL, 0,
 *				      IGT_GUP_CHECK_ALL);
 *	igt_gup_check_end(&c);				(reads kmsg, decides)
 *	igt_gup_check_conclude(&c);	(IGT: fail, skip or return; see
 *					 lib/igt_gup_check_igt.c)
 *
 * igt_gup_check_mapping() probes a 4 KiB page at each offset given (NULL:
 * the first, middle and last page), so a caller can aim at any page of a
 * mapping: a PMD boundary, the second PMD of a huge mapping. It may be
 * called for several mappings (and several ranges of one mapping); each
 * call notes the mapping's VmFlags.
 *
 * The verdict is igt_gup_check_verdict(), a pure function of what was
 * recorded (igt_gup_check_record(), igt_gup_check_note_vma(), the kmsg
 * fields): selftests/gup_check.c feeds it recorded outcomes without a
 * kernel. Its rules:
 *
 * - FAIL: the kernel logged a warning, BUG or bad page report during the
 *   check; or any probe pinned driver memory. io_uring's EOPNOTSUPP
 *   (5.10-6.4) is a pin: pin_user_pages() succeeded before io_uring's
 *   file policy refused the buffer.
 * - PASS: at least one refusal by a calibrated GUP-fast probe that sees
 *   every pin (O_DIRECT read or write, vmsplice; not futex, which reports
 *   EFAULT after pinning a page without ->mapping), and no pin. VM_PFNMAP
 *   or not, the probes run: a flag is a promise, not a proof. (A check
 *   about one probe sets proof_probes to it: its refusal is the proof.)
 * - FLAGS_ONLY: every mapping carries VM_PFNMAP but nothing above was
 *   proven (a check of the mapping, not narrowed to one probe). Its own state, never a pass: the test prints
 *   IGT_GUP_VERDICT_TAG "flags-only" and skips, and the VM matrix shows
 *   the cell as flags-only.
 * - INCONCLUSIVE: no VM_PFNMAP and no proof, or the kernel log could not
 *   be read: a skip with the reason.
 * - NOT_APPLICABLE: core-mm pages by design (IGT_GUP_OWNER_CORE_MM): pins
 *   are informational, a skip that says so.
 *
 * MADV_POPULATE_* outcomes are informational (populating takes no
 * reference); only their EINVAL is read, as the VMA-flag refusal. Slow
 * GUP probes (io_uring, process_vm_readv) and futex can fail a check by
 * pinning, but their refusals alone prove nothing about GUP-fast.
 */
#ifndef IGT_GUP_CHECK_H
#define IGT_GUP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igt_gup.h"
#include "igt_kmsg_watch.h"

struct igt_vma_info;

/* The line prefix a test prints for tools that read its output. */
#define IGT_GUP_VERDICT_TAG "igt-gup-verdict: "

enum igt_gup_owner {
	IGT_GUP_OWNER_DRIVER,	/* driver memory: GUP must not pin it */
	IGT_GUP_OWNER_CORE_MM,	/* core-mm pages by design */
};

enum igt_gup_verdict {
	IGT_GUP_VERDICT_PASS,
	IGT_GUP_VERDICT_FAIL,
	IGT_GUP_VERDICT_FLAGS_ONLY,
	IGT_GUP_VERDICT_INCONCLUSIVE,
	IGT_GUP_VERDICT_NOT_APPLICABLE,
};

/* Probe selections for igt_gup_check_mapping(): a mask of probe ids. */
#define IGT_GUP_CHECK_PROBE(id)	(1u << (id))
#define IGT_GUP_CHECK_ALL	((1u << IGT_GUP_NUM_PROBES) - 1)
uint32_t igt_gup_check_fast_probes(void);	/* GUP-fast ones */

#define IGT_GUP_CHECK_MAX_OUTCOMES 256
#define IGT_GUP_CHECK_MAX_MAPPINGS 32

/* One probe at one page. */
struct igt_gup_outcome {
	enum igt_gup_probe_id probe;
	int mapping;		/* index in igt_gup_check.maps */
	size_t offset;		/* of the page, in the mapping */
	enum igt_gup_cal_state cal;	/* the probe's calibration */
	bool ran;		/* false: not calibrated, not run */
	struct igt_gup_result res;	/* status, errno, bytes, reason */
};

struct igt_gup_check_map {
	size_t len;
	bool pfnmap;		/* pf in VmFlags */
	bool io;		/* io in VmFlags */
	char vmflags[160];
};

struct igt_gup_check {
	enum igt_gup_owner owner;
	/*
	 * Whose refusal proves a pass: by default the GUP-fast probes that
	 * see every pin. A subtest about one probe narrows it to that probe;
	 * a probe that reads the VMA flags (slow GUP, MADV_POPULATE's
	 * EINVAL) then proves its own refusal, nothing about GUP-fast.
	 */
	uint32_t proof_probes;

	struct igt_gup_check_map maps[IGT_GUP_CHECK_MAX_MAPPINGS];
	int num_maps;
	struct igt_gup_outcome out[IGT_GUP_CHECK_MAX_OUTCOMES];
	int num_out;
	int lost;		/* outcomes beyond the array */
	int lost_pins;		/* of which pins */

	struct igt_kmsg_watch watch;
	int kmsg_err;		/* -errno where the log could not be read */
	int kmsg_warnings;
	char kmsg_report[512];

	/* igt_gup_check_verdict() */
	enum igt_gup_verdict verdict;
	int pinned, refused, refused_proof, unavailable, informational;
	char why[1536];
};

void igt_gup_check_begin(struct igt_gup_check *c, enum igt_gup_owner owner);
int igt_gup_check_mapping(struct igt_gup_check *c,
			  const struct igt_gup_calibration *cal,
			  void *addr, size_t len, const size_t *offsets,
			  int num_offsets, uint32_t probes);
/*
 * The same, with the smaps entry of the VMA that holds @addr already
 * read (igt_vma_lookup()) by a caller that shows it: one smaps read per
 * mapping. -ENOENT where @vma does not hold @addr.
 */
int igt_gup_check_mapping_vma(struct igt_gup_check *c,
			      const struct igt_gup_calibration *cal,
			      void *addr, size_t len,
			      const struct igt_vma_info *vma,
			      const size_t *offsets, int num_offsets,
			      uint32_t probes);
enum igt_gup_verdict igt_gup_check_end(struct igt_gup_check *c);

/* The recorded facts, for callers that probe elsewhere (a forked child)
 * and for selftests. */
void igt_gup_check_init(struct igt_gup_check *c, enum igt_gup_owner owner);
int igt_gup_check_note_vma(struct igt_gup_check *c, size_t len,
			   const char *vmflags);
void igt_gup_check_record(struct igt_gup_check *c, int mapping,
			  size_t offset, enum igt_gup_probe_id probe,
			  enum igt_gup_cal_state cal,
			  const struct igt_gup_result *res);

enum igt_gup_verdict igt_gup_check_verdict(struct igt_gup_check *c);
const char *igt_gup_verdict_name(enum igt_gup_verdict v);
void igt_gup_check_print(const struct igt_gup_check *c,
			 void (*print)(const char *line));

/* Appends to the NUL-terminated @buf of @len bytes, cutting what does
 * not fit: the tests build their reasons with it too. */
void igt_gup_appendf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* lib/igt_gup_check_igt.c: the verdict as the running subtest's result */
void igt_gup_check_conclude(const struct igt_gup_check *c, const char *what);
/* One line to the subtest's log (igt_info): for the *_print() callbacks. */
void igt_gup_info_line(const char *line);

#endif /* IGT_GUP_CHECK_H */
