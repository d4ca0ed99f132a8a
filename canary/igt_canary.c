// SPDX-License-Identifier: GPL-2.0
/*
 * igt_canary: a deliberately UNSAFE test driver for igt-mmap-gup.
 *
 * It maps its own memory into user space in the ways real drivers have,
 * some of which get_user_pages can pin (normal PTEs of driver pages; PFN
 * PMDs without the special bit, before 6.12). The suite must fail those
 * modes on every kernel; if it ever passes them it has gone blind. Only
 * the project's VM harness loads this module, in throw-away guests.
 *
 * Modes and uAPI: igt_canary_uapi.h; README.md beside this file.
 */
#include <linux/fs.h>
#include <linux/mm.h>		/* before huge_mm.h, which needs it */
#include <linux/huge_mm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "igt_canary_uapi.h"

#define CANARY_MAX_SIZE (64UL << 20)
#define CANARY_PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)
#define CANARY_PMD_PAGES (1UL << CANARY_PMD_ORDER)

struct canary_buf {
	struct mutex lock;	/* alloc against mmap */
	u32 mode;		/* 0 until IGT_CANARY_IOC_ALLOC */
	unsigned long npages;	/* 4 KiB pages */
	/* one page per 4 KiB in PTE modes, one compound head per 2 MiB in
	 * huge-pmd mode */
	struct page **pages;
	unsigned long nblocks;
	atomic64_t mmaps, faults, huge_faults, ptes, pmds, pmds_from_fault;
	atomic64_t refused;
};

static void canary_set_flags(struct vm_area_struct *vma, unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/* pfn_t went away in 6.17: vmf_insert_mixed/_pfn_pmd take a plain pfn */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define CANARY_PFN(pfn) (pfn)
#else
#include <linux/pfn_t.h>
#define CANARY_PFN(pfn) __pfn_to_pfn_t((pfn), 0)
#endif

static vm_fault_t canary_errno_to_fault(int err)
{
	if (!err || err == -EBUSY)	/* -EBUSY: already mapped */
		return VM_FAULT_NOPAGE;
	return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
}

/*
 * A PMD over the 2 MiB block behind vmf->address. Called from .huge_fault
 * where the kernel calls it, and from .fault where it does not (6.1 never
 * calls .huge_fault for a VM_PFNMAP VMA): at .fault time the PMD is still
 * empty, the PTE table is not allocated yet.
 */
static vm_fault_t canary_insert_pmd(struct vm_fault *vmf, bool from_fault)
{
	struct vm_area_struct *vma = vmf->vma;
	struct canary_buf *buf = vma->vm_private_data;
	unsigned long haddr = vmf->address & PMD_MASK;
	unsigned long pgoff, block;
	vm_fault_t ret;

	/* mmap checked the alignment; never map 4 KiB in this mode */
	if (haddr < vma->vm_start || haddr + PMD_SIZE > vma->vm_end)
		goto refuse;
	pgoff = vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT);
	block = pgoff >> CANARY_PMD_ORDER;
	if (block >= buf->nblocks)
		goto refuse;
	/* a PTE table here would make the insert warn: refuse instead */
	if (!pmd_none(*vmf->pmd) && !pmd_trans_huge(*vmf->pmd))
		goto refuse;
	ret = vmf_insert_pfn_pmd(vmf, CANARY_PFN(page_to_pfn(buf->pages[block])),
				 vmf->flags & FAULT_FLAG_WRITE);
	if (ret == VM_FAULT_NOPAGE) {
		atomic64_inc(&buf->pmds);
		if (from_fault)
			atomic64_inc(&buf->pmds_from_fault);
	}
	return ret;
refuse:
	atomic64_inc(&buf->refused);
	return VM_FAULT_SIGBUS;
}

static vm_fault_t canary_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct canary_buf *buf = vma->vm_private_data;
	unsigned long idx = vma->vm_pgoff +
			    ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	vm_fault_t ret;

	atomic64_inc(&buf->faults);
	if (buf->mode == IGT_CANARY_MODE_HUGE_PMD)
		return canary_insert_pmd(vmf, true);
	if (idx >= buf->npages) {
		atomic64_inc(&buf->refused);
		return VM_FAULT_SIGBUS;
	}

	switch (buf->mode) {
	case IGT_CANARY_MODE_PAGE:
		ret = canary_errno_to_fault(vm_insert_page(vma, vmf->address,
							   buf->pages[idx]));
		break;
	case IGT_CANARY_MODE_PFN:
		ret = vmf_insert_pfn(vma, vmf->address,
				     page_to_pfn(buf->pages[idx]));
		break;
	case IGT_CANARY_MODE_MIXED_SPECIAL:
		ret = vmf_insert_mixed(vma, vmf->address,
				       CANARY_PFN(page_to_pfn(buf->pages[idx])));
		break;
	default:
		ret = VM_FAULT_SIGBUS;
	}
	if (ret == VM_FAULT_NOPAGE)
		atomic64_inc(&buf->ptes);
	else
		atomic64_inc(&buf->refused);
	return ret;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* huge_fault takes an order from 6.6, an enum page_entry_size before */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
static vm_fault_t canary_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	bool pmd = order == CANARY_PMD_ORDER;
#else
static vm_fault_t canary_huge_fault(struct vm_fault *vmf,
				    enum page_entry_size pe_size)
{
	bool pmd = pe_size == PE_SIZE_PMD;
#endif
	struct canary_buf *buf = vmf->vma->vm_private_data;

	if (!pmd || buf->mode != IGT_CANARY_MODE_HUGE_PMD)
		return VM_FAULT_FALLBACK;
	atomic64_inc(&buf->huge_faults);
	return canary_insert_pmd(vmf, false);
}
#endif

static const struct vm_operations_struct canary_vm_ops = {
	.fault = canary_fault,
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	.huge_fault = canary_huge_fault,
#endif
};

static int canary_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct canary_buf *buf = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long flags = VM_DONTEXPAND | VM_DONTDUMP;
	int ret = 0;

	/* no copy-on-write of driver memory, as TTM and the shmem helper */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	mutex_lock(&buf->lock);
	if (!buf->mode) {
		ret = -ENODEV;
		goto out;
	}
	if (vma->vm_pgoff >= buf->npages ||
	    len >> PAGE_SHIFT > buf->npages - vma->vm_pgoff) {
		ret = -EINVAL;
		goto out;
	}
	switch (buf->mode) {
	case IGT_CANARY_MODE_PAGE:
		flags |= VM_MIXEDMAP;
		break;
	case IGT_CANARY_MODE_PFN:
		flags |= VM_PFNMAP | VM_IO;
		break;
	case IGT_CANARY_MODE_MIXED_SPECIAL:
		flags |= VM_MIXEDMAP | VM_IO;
		break;
	case IGT_CANARY_MODE_HUGE_PMD:
		/* a PMD needs the virtual and file offsets 2 MiB aligned */
		if ((vma->vm_start | vma->vm_end) & ~PMD_MASK ||
		    vma->vm_pgoff & (CANARY_PMD_PAGES - 1)) {
			ret = -EINVAL;
			goto out;
		}
		/* VM_HUGEPAGE: THP "madvise" lets .huge_fault be called */
		flags |= VM_PFNMAP | VM_IO | VM_HUGEPAGE;
		break;
	}
	canary_set_flags(vma, flags);
	vma->vm_ops = &canary_vm_ops;
	vma->vm_private_data = buf;
	atomic64_inc(&buf->mmaps);
out:
	mutex_unlock(&buf->lock);
	return ret;
}

static void canary_free(struct canary_buf *buf)
{
	unsigned long i;

	if (!buf->pages)
		return;
	for (i = 0; i < buf->nblocks; i++)
		if (buf->pages[i])
			__free_pages(buf->pages[i],
				     buf->mode == IGT_CANARY_MODE_HUGE_PMD ?
				     CANARY_PMD_ORDER : 0);
	kvfree(buf->pages);
	buf->pages = NULL;
}

static long canary_alloc(struct canary_buf *buf, void __user *uarg)
{
	struct igt_canary_alloc a;
	bool huge;
	unsigned int order;
	unsigned long i;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.pad || a.mode < IGT_CANARY_MODE_PAGE ||
	    a.mode > IGT_CANARY_MODE_HUGE_PMD)
		return -EINVAL;
	huge = a.mode == IGT_CANARY_MODE_HUGE_PMD;
	if (!a.size || a.size > CANARY_MAX_SIZE ||
	    a.size & ((huge ? PMD_SIZE : PAGE_SIZE) - 1))
		return -EINVAL;
	order = huge ? CANARY_PMD_ORDER : 0;

	mutex_lock(&buf->lock);
	if (buf->mode) {
		ret = -EBUSY;
		goto out;
	}
	buf->npages = a.size >> PAGE_SHIFT;
	buf->nblocks = buf->npages >> order;
	buf->pages = kvcalloc(buf->nblocks, sizeof(*buf->pages), GFP_KERNEL);
	if (!buf->pages) {
		ret = -ENOMEM;
		goto out;
	}
	buf->mode = a.mode;
	for (i = 0; i < buf->nblocks; i++) {
		/* __GFP_COMP: a 2 MiB block is one compound page, as a THP */
		buf->pages[i] = alloc_pages(GFP_KERNEL | __GFP_ZERO |
					    __GFP_NOWARN |
					    (huge ? __GFP_COMP : 0), order);
		if (!buf->pages[i]) {
			canary_free(buf);
			buf->mode = 0;
			ret = -ENOMEM;
			goto out;
		}
	}
out:
	mutex_unlock(&buf->lock);
	return ret;
}

static long canary_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct canary_buf *buf = file->private_data;
	struct igt_canary_info info = {};

	switch (cmd) {
	case IGT_CANARY_IOC_ALLOC:
		return canary_alloc(buf, (void __user *)arg);
	case IGT_CANARY_IOC_INFO:
		mutex_lock(&buf->lock);
		info.mode = buf->mode;
		info.size = (u64)buf->npages << PAGE_SHIFT;
		mutex_unlock(&buf->lock);
		info.version = IGT_CANARY_VERSION;
		info.mmaps = atomic64_read(&buf->mmaps);
		info.faults = atomic64_read(&buf->faults);
		info.huge_faults = atomic64_read(&buf->huge_faults);
		info.ptes = atomic64_read(&buf->ptes);
		info.pmds = atomic64_read(&buf->pmds);
		info.pmds_from_fault = atomic64_read(&buf->pmds_from_fault);
		info.refused = atomic64_read(&buf->refused);
		if (copy_to_user((void __user *)arg, &info, sizeof(info)))
			return -EFAULT;
		return 0;
	}
	return -ENOTTY;
}

static int canary_open(struct inode *inode, struct file *file)
{
	struct canary_buf *buf = kzalloc(sizeof(*buf), GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	mutex_init(&buf->lock);
	file->private_data = buf;
	return 0;
}

/* The last mapping is gone when the file is released: VMAs hold it. */
static int canary_release(struct inode *inode, struct file *file)
{
	struct canary_buf *buf = file->private_data;

	canary_free(buf);
	mutex_destroy(&buf->lock);
	kfree(buf);
	return 0;
}

static const struct file_operations canary_fops = {
	.owner = THIS_MODULE,
	.open = canary_open,
	.release = canary_release,
	.mmap = canary_mmap,
	.unlocked_ioctl = canary_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	/* 2 MiB-aligned addresses where the kernel helps; user space aligns
	 * them itself (MAP_FIXED inside a larger reservation) everywhere */
	.get_unmapped_area = thp_get_unmapped_area,
#endif
};

static struct miscdevice canary_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "igt_canary",
	.fops = &canary_fops,
	.mode = 0600,
};

module_misc_device(canary_misc);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The igt-mmap-gup authors");
MODULE_DESCRIPTION("UNSAFE test-only driver: maps its memory so that GUP can "
		   "pin it (positive control of igt-mmap-gup; only its VM harness "
		   "loads it)");
