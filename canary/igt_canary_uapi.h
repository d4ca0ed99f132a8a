/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * uAPI of the igt_canary test module (canary/igt_canary.c), shared by the
 * module and by user space (lib/igt_canary.c). See canary/README.md.
 *
 * One open file of /dev/igt_canary is one buffer: IGT_CANARY_IOC_ALLOC
 * gives it a mode and a size once, mmap(MAP_SHARED) maps it (offset 0 is
 * its first page), IGT_CANARY_IOC_INFO says what the module installed.
 */
#ifndef IGT_CANARY_UAPI_H
#define IGT_CANARY_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IGT_CANARY_DEV "/dev/igt_canary"

enum igt_canary_mode {
	/* vm_insert_page: normal refcounted PTEs in a VM_MIXEDMAP VMA */
	IGT_CANARY_MODE_PAGE = 1,
	/* vmf_insert_pfn: special PTEs in a VM_PFNMAP|VM_IO VMA */
	IGT_CANARY_MODE_PFN = 2,
	/* vmf_insert_mixed: special PTEs in a VM_MIXEDMAP|VM_IO VMA */
	IGT_CANARY_MODE_MIXED_SPECIAL = 3,
	/* vmf_insert_pfn_pmd: 2 MiB PFN PMDs over compound blocks of RAM in
	 * a VM_PFNMAP|VM_IO VMA; size and mapping must be 2 MiB aligned */
	IGT_CANARY_MODE_HUGE_PMD = 4,
};

struct igt_canary_alloc {
	__u32 mode;		/* enum igt_canary_mode */
	__u32 pad;		/* must be 0 */
	__u64 size;		/* bytes, a multiple of 4 KiB (2 MiB for huge) */
};

/*
 * Counters of this open file (all its mappings), since IGT_CANARY_IOC_ALLOC.
 * Every entry the module ever installs is counted here: a huge-pmd mapping
 * that was touched and has pmds == 0 got no PMD.
 */
struct igt_canary_info {
	__u32 mode;
	__u32 version;		/* IGT_CANARY_VERSION */
	__u64 size;
	__u64 mmaps;		/* mmap() calls accepted */
	__u64 faults;		/* .fault calls */
	__u64 huge_faults;	/* .huge_fault calls (PMD order) */
	__u64 ptes;		/* 4 KiB entries installed */
	__u64 pmds;		/* 2 MiB entries installed */
	__u64 pmds_from_fault;	/* of which from .fault (6.1 never calls
				 * .huge_fault for a VM_PFNMAP VMA) */
	__u64 refused;		/* faults answered VM_FAULT_SIGBUS */
};

#define IGT_CANARY_VERSION 1

#define IGT_CANARY_IOC_MAGIC 0xCA
#define IGT_CANARY_IOC_ALLOC _IOW(IGT_CANARY_IOC_MAGIC, 1, struct igt_canary_alloc)
#define IGT_CANARY_IOC_INFO _IOR(IGT_CANARY_IOC_MAGIC, 2, struct igt_canary_info)

#endif /* IGT_CANARY_UAPI_H */
