/* SPDX-License-Identifier: MIT */
/*
 * Probes that reach get_user_pages from user space, and their calibration.
 *
 * Each probe asks the kernel to take page references on a user range
 * through one real entry point (a shared futex, O_DIRECT, vmsplice,
 * io_uring, process_vm_readv) and reports whether it could. A probe
 * counts as evidence only after it has been seen, in the same run, to
 * pin anonymous and shmem memory and to be refused on a VM_PFNMAP mapping.
 *
 * igt_gup_probes[] (lib/igt_gup_probes.c, data only) is the one list of
 * probes: the tests' subtests, their doc blocks, drm_ttm_pfnmap's choice
 * of GUP-fast probes and the VM matrix's check suffixes all come from it.
 * A new probe is one entry there and one function in lib/igt_gup.c.
 */
#ifndef IGT_GUP_H
#define IGT_GUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum igt_gup_status {
	IGT_GUP_PINNED,		/* the kernel took references on the pages */
	IGT_GUP_REFUSED,	/* the kernel refused: err says how */
	IGT_GUP_UNAVAILABLE,	/* the probe cannot run here: reason says why */
};

struct igt_gup_result {
	enum igt_gup_status status;
	int err;		/* errno: REFUSED/UNAVAILABLE, or the error
				 * that followed a pin (io_uring EOPNOTSUPP) */
	ssize_t bytes;		/* bytes the call moved, -1 where none apply */
	char reason[192];
};

enum igt_gup_probe_id {
	IGT_GUP_FUTEX,
	IGT_GUP_ODIRECT_READ,
	IGT_GUP_ODIRECT_WRITE,
	IGT_GUP_VMSPLICE,
	IGT_GUP_IO_URING,
	IGT_GUP_PROCESS_VM_READV,
	IGT_GUP_MADV_POPULATE_READ,
	IGT_GUP_MADV_POPULATE_WRITE,
	IGT_GUP_NUM_PROBES
};

struct igt_gup_probe {
	enum igt_gup_probe_id id;
	const char *name;	/* subtest suffix, e.g. "odirect-read" */
	const char *doc;	/* its line in the tests' arg[] doc blocks */
	const char *reaches;	/* the kernel path it exercises */
	bool needs_write;	/* the kernel asks for FOLL_WRITE */
	bool is_gup;		/* false: a VMA-flag check, not a GUP */
	bool fast;		/* GUP-fast: walks page tables, not the VMA */
	bool copies;		/* a filesystem may serve it by copying */
	bool blind_unmapped;	/* may report a refusal for a page it pinned
				 * when the page has no ->mapping */
};

extern const struct igt_gup_probe igt_gup_probes[IGT_GUP_NUM_PROBES];

const struct igt_gup_probe *igt_gup_probe_by_name(const char *name);

void igt_gup_fault_in(void *addr, size_t len, bool write);
void igt_gup_run(const struct igt_gup_probe *probe, void *addr, size_t len,
		 bool writable, struct igt_gup_result *res);
const char *igt_gup_status_name(const struct igt_gup_probe *probe,
				enum igt_gup_status status);
void igt_gup_result_str(const struct igt_gup_probe *probe,
			const struct igt_gup_result *res,
			char *buf, size_t len);

/* Reference mappings used to calibrate the probes. */
enum igt_gup_ref_kind {
	IGT_GUP_REF_MUST_PIN,	/* anonymous memory, shmem */
	/*
	 * Pages with no ->mapping that GUP pins (AF_PACKET's ring,
	 * vm_insert_page() of kernel pages), like TTM's pool pages: where a
	 * probe reports a refusal here it cannot see such a pin.
	 */
	IGT_GUP_REF_MUST_PIN_UNMAPPED,
	IGT_GUP_REF_MUST_REFUSE,	/* a VM_PFNMAP mapping */
};

#define IGT_GUP_MAX_REFS 8

struct igt_gup_ref {
	const char *name;
	enum igt_gup_ref_kind kind;
	bool available;
	bool writable;
	char why[256];		/* why unavailable, or what it is */
	char vmflags[160];
	struct igt_gup_result res[IGT_GUP_NUM_PROBES];
	bool ran[IGT_GUP_NUM_PROBES];
};

/* What the calibration makes of one probe on this kernel. */
enum igt_gup_cal_state {
	IGT_GUP_CAL_OK,		/* pins where it must, refused where it must */
	IGT_GUP_CAL_UNCALIBRATED,	/* cannot run, or nothing to compare */
	IGT_GUP_CAL_INCONCLUSIVE,	/* cannot see some pins (futex) */
	IGT_GUP_CAL_COPIES,	/* O_DIRECT served by copying here */
	IGT_GUP_CAL_PINS_PFNMAP,	/* pinned a VM_PFNMAP reference: a bug */
};

struct igt_gup_calibration {
	struct igt_gup_ref refs[IGT_GUP_MAX_REFS];
	int num_refs;
	enum igt_gup_cal_state state[IGT_GUP_NUM_PROBES];
	bool calibrated[IGT_GUP_NUM_PROBES];	/* state == IGT_GUP_CAL_OK */
	/* a probe pinned a VM_PFNMAP reference: a kernel bug, not a skip */
	bool pinned_pfnmap[IGT_GUP_NUM_PROBES];
	char reason[IGT_GUP_NUM_PROBES][320];
};

const char *igt_gup_cal_state_name(enum igt_gup_cal_state state);
const char *igt_gup_direct_io_dir(void);
void igt_gup_calibrate(struct igt_gup_calibration *cal);
/* the calibration states from the references' recorded results: pure */
void igt_gup_calibration_judge(struct igt_gup_calibration *cal);
void igt_gup_calibration_print(const struct igt_gup_calibration *cal,
			       void (*print)(const char *line));

#endif /* IGT_GUP_H */
