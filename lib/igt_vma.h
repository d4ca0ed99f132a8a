/* SPDX-License-Identifier: MIT */
/*
 * VMA inspection: what the kernel says about the mapping that holds an
 * address, read from /proc/self/smaps and, where the kernel has it
 * (6.7+), from the PAGEMAP_SCAN ioctl on /proc/self/pagemap.
 */
#ifndef IGT_VMA_H
#define IGT_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The VmFlags mnemonics this suite reasons about (fs/proc/task_mmu.c). */
#define IGT_VMA_RD	(1ull << 0)	/* rd: readable */
#define IGT_VMA_WR	(1ull << 1)	/* wr: writable */
#define IGT_VMA_SH	(1ull << 2)	/* sh: shared */
#define IGT_VMA_PF	(1ull << 3)	/* pf: VM_PFNMAP */
#define IGT_VMA_IO	(1ull << 4)	/* io: VM_IO */
#define IGT_VMA_MM	(1ull << 5)	/* mm: VM_MIXEDMAP */
#define IGT_VMA_DD	(1ull << 6)	/* dd: VM_DONTDUMP */
#define IGT_VMA_DE	(1ull << 7)	/* de: VM_DONTEXPAND */
#define IGT_VMA_HG	(1ull << 8)	/* hg: VM_HUGEPAGE */
#define IGT_VMA_NH	(1ull << 9)	/* nh: VM_NOHUGEPAGE */
#define IGT_VMA_LO	(1ull << 10)	/* lo: VM_LOCKED */
#define IGT_VMA_HT	(1ull << 11)	/* ht: hugetlb */

struct igt_vma_info {
	uint64_t start;
	uint64_t end;
	char perms[5];
	uint64_t pgoff;
	char name[128];		/* path, [vvar], anon_inode:..., or "" */
	char vmflags[160];	/* the VmFlags line as printed, trimmed */
	uint64_t flags;		/* IGT_VMA_* found in vmflags */
	bool has_vmflags;	/* kernels before 3.8 have no VmFlags */
	/* sizes in KiB as smaps prints them; 0 when the line is absent */
	unsigned long rss_kb;
	unsigned long kernel_page_kb;
	unsigned long mmu_page_kb;
	unsigned long anon_huge_kb;
	unsigned long file_pmd_kb;
	unsigned long shmem_pmd_kb;
};

int igt_vma_parse_smaps(const char *text, size_t len, uint64_t addr,
			struct igt_vma_info *info);
int igt_vma_parse_flags(const char *vmflags, uint64_t *flags);
int igt_vma_lookup(const void *addr, struct igt_vma_info *info);
/* igt_vma_lookup() of @num addresses with one read of smaps: 0 when each
 * is held by a VMA, else the first error (the rest are still filled). */
int igt_vma_lookup_many(const void *const *addrs, int num,
			struct igt_vma_info *infos);
int igt_vma_find_named(const char *name, struct igt_vma_info *info);

static inline bool igt_vma_has(const struct igt_vma_info *info, uint64_t f)
{
	return (info->flags & f) == f;
}

enum igt_vma_huge {
	IGT_VMA_HUGE_UNKNOWN,	/* the kernel cannot tell us */
	IGT_VMA_HUGE_NONE,	/* every present entry is a base page */
	IGT_VMA_HUGE_SOME,	/* at least one PMD/PUD-sized entry */
};

/* @vma: the smaps entry of the VMA holding @addr, or NULL to read it */
enum igt_vma_huge igt_vma_huge_entries(const void *addr, size_t len,
				       const struct igt_vma_info *vma,
				       char *why, size_t why_len);
const char *igt_vma_huge_name(enum igt_vma_huge h);

#endif /* IGT_VMA_H */
