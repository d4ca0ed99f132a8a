/* SPDX-License-Identifier: MIT */
/*
 * Probes that reach get_user_pages from user space, and their calibration.
 *
 * Each probe asks the kernel to take page references on a user range
 * through one real entry point (a shared futex, O_DIRECT, vmsplice,
 * io_uring, process_vm_readv) and reports whether it could. A probe
 * counts as evidence only after it has been seen, in the same run, to
 * pin anonymous and shmem memory and to be refused on a VM_PFNMAP mapping.
 */
#ifndef IGT_GUP_H
#define IGT_GUP_H

#include <stdbool.h>
#include <stddef.h>

enum igt_gup_status {
	IGT_GUP_PINNED,		/* the kernel took references on the pages */
	IGT_GUP_REFUSED,	/* the kernel refused: err says how */
	IGT_GUP_UNAVAILABLE,	/* the probe cannot run here: reason says why */
};

struct igt_gup_result {
	enum igt_gup_status status;
	int err;		/* errno for REFUSED/UNAVAILABLE, else 0 */
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
	const char *reaches;	/* the kernel path it exercises */
	bool needs_write;	/* the kernel asks for FOLL_WRITE */
	bool is_gup;		/* false: a VMA-flag check, not a GUP */
	void (*run)(void *addr, size_t len, struct igt_gup_result *res);
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

struct igt_gup_calibration {
	struct igt_gup_ref refs[IGT_GUP_MAX_REFS];
	int num_refs;
	bool calibrated[IGT_GUP_NUM_PROBES];
	/* a probe pinned a VM_PFNMAP reference: a kernel bug, not a skip */
	bool pinned_pfnmap[IGT_GUP_NUM_PROBES];
	char reason[IGT_GUP_NUM_PROBES][320];
};

const char *igt_gup_direct_io_dir(void);
void igt_gup_calibrate(struct igt_gup_calibration *cal);
void igt_gup_calibration_print(const struct igt_gup_calibration *cal,
			       void (*print)(const char *line));

#endif /* IGT_GUP_H */
