/* SPDX-License-Identifier: MIT */
/*
 * The canary: an UNSAFE test-only misc device (canary/igt_canary.c) that
 * maps its own memory in named modes, some of which GUP can pin. It is
 * the suite's positive control: gem_mmap_gup probes its modes exactly as
 * DRM paths, and the expectations say which must fail on which kernel.
 *
 * It is not a DRM device: it appears as one pseudo device, driver
 * "canary", found by its node /dev/igt_canary; only the canary paths
 * apply to it. Only the VM harness loads the module.
 */
#ifndef IGT_CANARY_H
#define IGT_CANARY_H

#include <stdbool.h>
#include <stddef.h>

#include "igt_canary_uapi.h"	/* canary/, shared with the module */
#include "igt_drm_dev.h"
#include "igt_mmap_path.h"

#define IGT_CANARY_DRIVER "canary"

/* Fills @dev for /dev/igt_canary; -errno when it cannot be opened. */
int igt_canary_open(struct igt_drm_dev *dev);

/*
 * Why a canary path has no device here, for its skip message; NULL for
 * any other path, or when the canary is there.
 */
const char *igt_canary_absent_why(const struct igt_mmap_path *path);

/* "canary: 2 PMD(s), 0 PTE(s) installed by 2 fault(s)..." */
bool igt_canary_installed(const struct igt_bo *bo, char *buf, size_t len);

bool igt_canary_applies(const struct igt_drm_dev *dev);
int igt_canary_page_alloc(const struct igt_mmap_path *path, size_t size,
			  struct igt_bo *bo);
int igt_canary_pfn_alloc(const struct igt_mmap_path *path, size_t size,
			 struct igt_bo *bo);
int igt_canary_mixed_special_alloc(const struct igt_mmap_path *path,
				   size_t size, struct igt_bo *bo);
int igt_canary_huge_pmd_alloc(const struct igt_mmap_path *path, size_t size,
			      struct igt_bo *bo);
void igt_canary_release(struct igt_bo *bo);
/* huge-pmd takes whole 2 MiB blocks only: other sizes are not offered */
extern const struct igt_bo_errno igt_canary_huge_pmd_not_here[];

/* a row of the table (row format: lib/igt_mmap_path.h) */
#define IGT_CANARY_PATH(n, s, fn, nh)					\
	{								\
		.name = "canary-" n,					\
		.summary = s,						\
		.uapi = "IGT_CANARY_IOC_ALLOC, mmap(/dev/igt_canary)",	\
		.owner_why = "module memory of the canary driver",	\
		.node = IGT_MMAP_NODE_PRIMARY,				\
		.applies = igt_canary_applies,				\
		.create_fn = fn,					\
		.release = igt_canary_release,				\
		.installed = igt_canary_installed,			\
		.not_here = nh,						\
	}

/* The canary's modes, in lib/igt_mmap_path.c's table. */
#define IGT_CANARY_PATHS						\
	IGT_CANARY_PATH("page", "canary: vm_insert_page, normal PTEs, "	\
			"VM_MIXEDMAP (unsafe on every kernel)",		\
			igt_canary_page_alloc, NULL),			\
	IGT_CANARY_PATH("pfn", "canary: vmf_insert_pfn, special PTEs, "	\
			"VM_PFNMAP|VM_IO", igt_canary_pfn_alloc, NULL),	\
	IGT_CANARY_PATH("mixed-special", "canary: vmf_insert_mixed, "	\
			"special PTEs, VM_MIXEDMAP|VM_IO (5.10 TTM)",	\
			igt_canary_mixed_special_alloc, NULL),		\
	IGT_CANARY_PATH("huge-pmd", "canary: vmf_insert_pfn_pmd, 2 MiB " \
			"PFN PMDs over RAM, VM_PFNMAP (unsafe before "	\
			"6.12)", igt_canary_huge_pmd_alloc,		\
			igt_canary_huge_pmd_not_here)

#endif /* IGT_CANARY_H */
