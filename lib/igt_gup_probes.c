// SPDX-License-Identifier: MIT
/*
 * The GUP probes, as data: the one list that the tests' subtests and doc
 * blocks, drm_ttm_pfnmap's choice of probes and the VM matrix's check
 * columns are built from. No code here, so that igt_vm_results can link
 * it without the probes' dependencies; each probe's function is in
 * lib/igt_gup.c, indexed by the same id.
 */
#include "igt_gup.h"

const struct igt_gup_probe igt_gup_probes[IGT_GUP_NUM_PROBES] = {
	[IGT_GUP_FUTEX] = {
		.id = IGT_GUP_FUTEX,
		.name = "futex",
		.doc = "shared FUTEX_WAIT (get_user_pages_fast)",
		.reaches = "FUTEX_WAIT on a shared futex: get_futex_key() -> get_user_pages_fast()",
		.is_gup = true,
		.fast = true,
		/* get_futex_key(): EFAULT after the pin if !page->mapping */
		.blind_unmapped = true,
	},
	[IGT_GUP_ODIRECT_READ] = {
		.id = IGT_GUP_ODIRECT_READ,
		.name = "odirect-read",
		.doc = "O_DIRECT read into the mapping",
		.reaches = "O_DIRECT read into the mapping: iov_iter -> pin_user_pages_fast(FOLL_WRITE)",
		.needs_write = true,
		.is_gup = true,
		.fast = true,
		.copies = true,
	},
	[IGT_GUP_ODIRECT_WRITE] = {
		.id = IGT_GUP_ODIRECT_WRITE,
		.name = "odirect-write",
		.doc = "O_DIRECT write from the mapping",
		.reaches = "O_DIRECT write from the mapping: iov_iter -> pin_user_pages_fast()",
		.is_gup = true,
		.fast = true,
		.copies = true,
	},
	[IGT_GUP_VMSPLICE] = {
		.id = IGT_GUP_VMSPLICE,
		.name = "vmsplice",
		.doc = "vmsplice into a pipe",
		.reaches = "vmsplice() into a pipe: iov_iter_get_pages2() -> get_user_pages_fast()",
		.is_gup = true,
		.fast = true,
	},
	[IGT_GUP_IO_URING] = {
		.id = IGT_GUP_IO_URING,
		.name = "io-uring",
		.doc = "io_uring buffer registration (FOLL_LONGTERM)",
		.reaches = "IORING_REGISTER_BUFFERS: pin_user_pages(FOLL_WRITE|FOLL_LONGTERM)",
		.needs_write = true,
		.is_gup = true,
	},
	[IGT_GUP_PROCESS_VM_READV] = {
		.id = IGT_GUP_PROCESS_VM_READV,
		.name = "process-vm-readv",
		.doc = "process_vm_readv with the mapping as remote iov",
		.reaches = "process_vm_readv() with the mapping as remote iov: pin_user_pages_remote()",
		.is_gup = true,
	},
	[IGT_GUP_MADV_POPULATE_READ] = {
		.id = IGT_GUP_MADV_POPULATE_READ,
		.name = "madv-populate-read",
		.doc = "MADV_POPULATE_READ (VMA flag check)",
		.reaches = "MADV_POPULATE_READ: faultin_page_range(), refuses VM_IO|VM_PFNMAP by VMA flags",
	},
	[IGT_GUP_MADV_POPULATE_WRITE] = {
		.id = IGT_GUP_MADV_POPULATE_WRITE,
		.name = "madv-populate-write",
		.doc = "MADV_POPULATE_WRITE (VMA flag check)",
		.reaches = "MADV_POPULATE_WRITE: faultin_page_range(FOLL_WRITE), refuses VM_IO|VM_PFNMAP by VMA flags",
		.needs_write = true,
	},
};
