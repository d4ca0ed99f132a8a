// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The igt-mmap-gup authors
 */

/**
 * TEST: drm ttm pfnmap
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Memory management
 * Functionality: mmap
 * Description: Check TTM's buffer-object mapping contract on every TTM
 *	driver present, in every placement its uAPI reaches, before and
 *	after the driver moves the buffer: the mapping is VM_PFNMAP|VM_IO|
 *	VM_DONTEXPAND|VM_DONTDUMP, copy-on-write mappings are refused, and no
 *	get_user_pages path can pin it.
 *
 * SUBTEST: %s-vma-flags
 * Description: A shared mapping of a buffer in the placement carries pf,
 *	io, de and dd in its VmFlags (TTM's contract since f91142c62161).
 *
 * SUBTEST: %s-cow-refused
 * Description: A MAP_PRIVATE (copy-on-write) mapping of the buffer is
 *	refused with EINVAL, and the kernel logs no warning.
 *
 * SUBTEST: %s-gup-%s
 * Description: The calibrated GUP probe is refused on the first, middle
 *	and last page of faulted-in buffers in the placement, one of them
 *	4 MiB mapped at a 2 MiB-aligned address.
 *
 * SUBTEST: %s-move
 * Description: The driver moves a mapped buffer out of the placement (or
 *	into VRAM), proven by its TTM manager's debugfs view; afterwards the
 *	same mapping reads the pattern back intact, its VmFlags are unchanged
 *	and every calibrated probe is still refused.
 *
 * SUBTEST: %s-huge
 * Description: A 4 MiB buffer mapped 2 MiB-aligned: prove from fault
 *	counts and vmf_insert_pfn_pmd/_pud kprobes that the kernel mapped it
 *	with a huge entry (TTM did, without the special bit, until
 *	0d979509539e), then require every calibrated GUP probe to be refused
 *	inside it, read-direction probes first; skip where the kernel maps
 *	base pages, saying so.
 *
 * SUBTEST: %s-fork
 * Description: A forked child reads the parent's pattern through the
 *	inherited mapping, cannot pin it with any calibrated probe, and its
 *	write reaches the parent.
 *
 * SUBTEST: %s-mremap-expand
 * Description: Growing the mapping with mremap, in place or moving, is
 *	refused (VM_DONTEXPAND) and the mapping keeps working.
 *
 * SUBTEST: %s-partial-munmap
 * Description: Unmapping the middle of a mapping before it is touched
 *	leaves both remaining parts mapping the right pages of the buffer,
 *	with the same VmFlags and no probe able to pin them.
 *
 * SUBTEST: %s-access
 * Description: Reading and writing the buffer through /proc/self/mem
 *	(the driver's vm_ops->access, not GUP) sees the mapping's contents.
 *
 * arg[1]:
 *
 * @vram:		device memory in the CPU-visible BAR (qxl VRAM domain,
 *			bochs framebuffer pinned for scanout, amdgpu/radeon/
 *			nouveau VRAM, xe vram0)
 * @surface:		qxl's surface BAR (SURFACE domain, TTM_PL_PRIV)
 * @gtt:		system memory bound to the GPU's GART (hardware only)
 * @system:		system memory (TTM_PL_SYSTEM): bochs' unpinned dumb
 *			buffers, amdgpu/radeon CPU domain, xe sysmem
 *
 * arg[2]:
 *
 * @futex:		shared FUTEX_WAIT (get_user_pages_fast)
 * @odirect-read:	O_DIRECT read into the mapping
 * @odirect-write:	O_DIRECT write from the mapping
 * @vmsplice:		vmsplice into a pipe
 * @io-uring:		io_uring buffer registration (FOLL_LONGTERM)
 * @process-vm-readv:	process_vm_readv with the mapping as remote iov
 * @madv-populate-read:	MADV_POPULATE_READ (VMA flag check)
 * @madv-populate-write: MADV_POPULATE_WRITE (VMA flag check)
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igt.h"
#include "igt_sizes.h"
#include "igt_drm_dev.h"
#include "igt_gup.h"
#include "igt_gup_check.h"
#include "igt_gup_facts.h"
#include "igt_huge_probe.h"
#include "igt_kmsg_watch.h"
#include "igt_mmap_path.h"
#include "igt_thp.h"
#include "igt_ttm.h"
#include "igt_vma.h"

IGT_TEST_DESCRIPTION("Check TTM's mapping contract (VM_PFNMAP, no COW, no "
		     "GUP pin) on every TTM driver and placement, before and "
		     "after the driver moves the buffer.");

#define MAX_DEVICES 16

/* DRIVER_ANY leaves out the virtual drivers: the detection shows them all */
#define EVERY_DRIVER (DRIVER_ANY | DRIVER_VGEM | DRIVER_VIRTIO | DRIVER_VKMS)

static struct igt_drm_dev devices[MAX_DEVICES];
static struct igt_ttm_dev tdevs[MAX_DEVICES];
static int num_devices;
static struct igt_gup_calibration cal;

typedef void (*check_fn)(struct igt_ttm_dev *tdev,
			 const struct igt_ttm_placement *pl,
			 const struct igt_gup_probe *probe);

static uint32_t pattern_at(size_t off, uint32_t seed)
{
	return (uint32_t)(off / 4) * 2654435761u ^ seed;
}

/* @buf holds the buffer's bytes from offset @bo_off on. */
static void pattern_write_buf(void *buf, size_t bo_off, size_t len,
			      uint32_t seed)
{
	volatile uint32_t *p = buf;

	for (size_t i = 0; i < len / 4; i++)
		p[i] = pattern_at(bo_off + i * 4, seed);
}

/* The buffer offset of the first word that differs, or -1. */
static ssize_t pattern_check_buf(const void *buf, size_t bo_off, size_t len,
				 uint32_t seed)
{
	const volatile uint32_t *p = buf;

	for (size_t i = 0; i < len / 4; i++)
		if (p[i] != pattern_at(bo_off + i * 4, seed))
			return bo_off + i * 4;
	return -1;
}

/* Through a mapping of the whole buffer starting at @ptr. */
static void pattern_write(void *ptr, size_t off, size_t len, uint32_t seed)
{
	pattern_write_buf((char *)ptr + off, off, len, seed);
}

static ssize_t pattern_check(const void *ptr, size_t off, size_t len,
			     uint32_t seed)
{
	return pattern_check_buf((const char *)ptr + off, off, len, seed);
}

static void vma_of(const void *ptr, struct igt_vma_info *vma)
{
	igt_assert_f(igt_vma_lookup(ptr, vma) == 0,
		     "no VMA in smaps at %p\n", ptr);
}

/* Allocate a buffer in the placement and map it shared; skip if the
 * driver will not (that is not the unsafe condition). */
static void bo_map(struct igt_ttm_dev *tdev,
		   const struct igt_ttm_placement *pl, size_t size,
		   size_t align, struct igt_ttm_bo *tbo,
		   struct igt_bo_map *map)
{
	struct igt_vma_info vma;
	int r;

	r = igt_ttm_bo_alloc(tdev, pl, size, tbo);
	if (r) {
		char why[512];

		/* only errnos that mean "not on this device/kernel" skip */
		igt_assert_f(igt_ttm_bo_alloc_not_here(tbo, r, why, sizeof(why)),
			     "%s: %s allocation of %zu KiB (%s): %s\n",
			     tdev->drm->name, pl->name, size >> 10, pl->domain,
			     why);
		igt_skip("%s: %s allocation of %zu KiB (%s): %s\n",
			 tdev->drm->name, pl->name, size >> 10, pl->domain, why);
	}
	r = igt_bo_mmap(&tbo->bo, align, MAP_SHARED, map);
	if (r) {
		igt_ttm_bo_release(tbo);
		igt_skip("%s: shared mmap of the %s buffer refused: %s\n",
			 tdev->drm->name, pl->name, strerror(-r));
	}
	vma_of(map->ptr, &vma);
	igt_info("%s at %p (+%zu KiB): VmFlags: %s\n", tbo->bo.desc, map->ptr,
		 map->len >> 10, vma.vmflags);
	if (tbo->where[0])
		igt_info("  placement: %s\n", tbo->where);
}

static void bo_unmap(struct igt_ttm_bo *tbo, struct igt_bo_map *map)
{
	igt_bo_munmap(map);
	igt_ttm_bo_release(tbo);
}

/* The checker's verdict for this device and placement: the result. */
static void conclude(const struct igt_gup_check *c,
		     const struct igt_ttm_dev *tdev,
		     const struct igt_ttm_placement *pl, const char *how)
{
	char what[384];

	snprintf(what, sizeof(what), "%s in %s%s", tdev->drm->name, pl->name,
		 how);
	igt_gup_check_conclude(c, what);
}

static void require_calibrated(const struct igt_gup_probe *probe)
{
	igt_require_f(cal.calibrated[probe->id],
		      "probe %s is %s on this kernel: %s\n", probe->name,
		      igt_gup_cal_state_name(cal.state[probe->id]),
		      cal.reason[probe->id]);
}

static void check_vma_flags(struct igt_ttm_dev *tdev,
			    const struct igt_ttm_placement *pl,
			    const struct igt_gup_probe *unused)
{
	static const struct {
		uint64_t flag;
		const char *name;
	} want[] = {
		{ IGT_VMA_PF, "pf (VM_PFNMAP)" },
		{ IGT_VMA_IO, "io (VM_IO)" },
		{ IGT_VMA_DE, "de (VM_DONTEXPAND)" },
		{ IGT_VMA_DD, "dd (VM_DONTDUMP)" },
	};
	struct igt_ttm_bo tbo;
	struct igt_bo_map map;
	struct igt_vma_info vma;
	char missing[160] = "";

	bo_map(tdev, pl, SZ_64K, 0, &tbo, &map);
	igt_gup_fault_in(map.ptr, map.len, true);
	vma_of(map.ptr, &vma);
	bo_unmap(&tbo, &map);

	igt_assert_f(vma.has_vmflags, "smaps shows no VmFlags\n");
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!igt_vma_has(&vma, want[i].flag))
			igt_gup_appendf(missing, sizeof(missing), "%s%s",
			       missing[0] ? ", " : "", want[i].name);
	if (igt_vma_has(&vma, IGT_VMA_MM) && !igt_vma_has(&vma, IGT_VMA_PF))
		igt_info("VM_MIXEDMAP instead of VM_PFNMAP: TTM before f91142c62161 "
			 "(\"drm/ttm: nuke VM_MIXEDMAP on BO mappings v3\", 5.14); "
			 "whether GUP can pin it is for the %s-gup-* subtests\n",
			 pl->name);
	igt_assert_f(!missing[0], "VmFlags \"%s\" lack %s\n", vma.vmflags,
		     missing);
}

static void check_cow_refused(struct igt_ttm_dev *tdev,
			      const struct igt_ttm_placement *pl,
			      const struct igt_gup_probe *unused)
{
	struct igt_kmsg_watch watch;
	struct igt_ttm_bo tbo;
	struct igt_bo_map shared, priv;
	char report[1024];
	int r, warnings;

	r = igt_kmsg_watch_begin(&watch);
	igt_require_f(r == 0, "cannot read /dev/kmsg (%s): the kernel log must be watched\n",
		      strerror(-r));
	bo_map(tdev, pl, SZ_64K, 0, &tbo, &shared);
	pattern_write(shared.ptr, 0, shared.len, 0x5eed);

	r = igt_bo_mmap(&tbo.bo, 0, MAP_PRIVATE, &priv);
	if (!r) {
		struct igt_vma_info vma;
		ssize_t bad;

		vma_of(priv.ptr, &vma);
		igt_info("MAP_PRIVATE accepted: VmFlags: %s\n", vma.vmflags);
		bad = pattern_check(priv.ptr, 0, priv.len, 0x5eed);
		igt_info("  reads the buffer: %s\n", bad < 0 ? "yes" : "no");
		/* the write breaks COW on driver memory */
		memset(priv.ptr, 0xa5, SZ_4K);
		igt_info("  after a write through it, the buffer is %s\n",
			 pattern_check(shared.ptr, 0, SZ_4K, 0x5eed) < 0 ?
			 "unchanged (private copy)" :
			 "CHANGED (the write reached driver memory)");
		igt_bo_munmap(&priv);
	} else {
		igt_info("MAP_PRIVATE refused: %s\n", strerror(-r));
	}
	bo_unmap(&tbo, &shared);

	warnings = igt_kmsg_watch_end(&watch, report, sizeof(report));
	igt_assert_f(warnings == 0, "kernel warned around MAP_PRIVATE: %s\n",
		     report);
	igt_assert_f(r != 0,
		     "MAP_PRIVATE of a TTM buffer was accepted: TTM refuses COW mappings since f91142c62161 (5.14)\n");
	igt_assert_f(r == -EINVAL, "MAP_PRIVATE refused with %s, not EINVAL\n",
		     strerror(-r));
}

static void check_gup(struct igt_ttm_dev *tdev,
		      const struct igt_ttm_placement *pl,
		      const struct igt_gup_probe *probe)
{
	static const struct {
		size_t size, align;
	} sizes[] = { { SZ_64K, 0 }, { SZ_4M, SZ_2M } };
	uint32_t bit = IGT_GUP_CHECK_PROBE(probe->id);
	struct igt_gup_check c;
	char what[64];

	require_calibrated(probe);
	igt_gup_check_begin(&c, IGT_GUP_OWNER_DRIVER);
	c.proof_probes = bit;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct igt_ttm_bo tbo;
		struct igt_bo_map map;

		bo_map(tdev, pl, sizes[s].size, sizes[s].align, &tbo, &map);
		/*
		 * Every page faulted in, in order, as a pattern's first
		 * stores did: nothing here reads the buffer back, and writing
		 * all of it was 0.1 s of a run under TCG (perf, 6.12).
		 */
		igt_gup_fault_in(map.ptr, map.len, true);
		igt_gup_check_mapping(&c, &cal, map.ptr, map.len, NULL, 0, bit);
		bo_unmap(&tbo, &map);
	}
	igt_gup_check_end(&c);
	snprintf(what, sizeof(what), ", %s", probe->name);
	conclude(&c, tdev, pl, what);
}

static void check_move(struct igt_ttm_dev *tdev,
		       const struct igt_ttm_placement *pl,
		       const struct igt_gup_probe *unused)
{
	struct igt_vma_info before, after;
	struct igt_ttm_bo tbo;
	struct igt_bo_map map, again;
	struct igt_gup_check c;
	char proof[512];
	ssize_t bad;
	int r;

	if (!pl->move)
		igt_skip("no move mechanism for %s %s: %s\n", tdev->drm->driver,
			 pl->name, pl->no_move);
	bo_map(tdev, pl, SZ_1M, 0, &tbo, &map);
	pattern_write(map.ptr, 0, map.len, 0xabc);
	vma_of(map.ptr, &before);

	igt_gup_check_begin(&c, IGT_GUP_OWNER_DRIVER);
	r = igt_ttm_bo_move(&tbo, proof, sizeof(proof));
	if (r) {
		igt_gup_check_end(&c);
		bo_unmap(&tbo, &map);
		igt_skip("%s %s buffer not moved (%s): %s\n", tdev->drm->driver,
			 pl->name, strerror(-r), proof);
	}
	igt_info("moved: %s\n", proof);

	bad = pattern_check(map.ptr, 0, map.len, 0xabc);
	vma_of(map.ptr, &after);
	igt_info("VmFlags before: %s; after: %s\n", before.vmflags,
		 after.vmflags);
	igt_gup_check_mapping(&c, &cal, map.ptr, map.len, NULL, 0,
			      IGT_GUP_CHECK_ALL);

	/* the mapping still reaches the buffer: a new mapping sees a write */
	pattern_write(map.ptr, 0, SZ_4K, 0xdef);
	igt_assert_eq(igt_bo_mmap(&tbo.bo, 0, MAP_SHARED, &again), 0);
	igt_assert_f(pattern_check(again.ptr, 0, SZ_4K, 0xdef) < 0,
		     "a write through the old mapping after the move is not in the buffer\n");
	igt_bo_munmap(&again);
	bo_unmap(&tbo, &map);
	igt_gup_check_end(&c);

	igt_assert_f(bad < 0, "pattern lost across the move at +0x%zx\n",
		     (size_t)bad);
	igt_assert_f(after.flags == before.flags,
		     "VmFlags changed across the move: \"%s\" -> \"%s\"\n",
		     before.vmflags, after.vmflags);
	conclude(&c, tdev, pl, " after the move");
}

/*
 * TTM mapped huge PFN entries without the special bit until
 * 0d979509539e (5.16): a huge verdict needs proof that this kernel put a
 * PMD in the page table, and a refusal by every calibrated probe inside
 * it; without the proof the subtest skips, saying what the kernel did.
 */
static void check_huge(struct igt_ttm_dev *tdev,
		       const struct igt_ttm_placement *pl,
		       const struct igt_gup_probe *unused)
{
	static struct igt_huge_result r;
	struct igt_ttm_bo tbo;
	struct igt_bo_map map;
	char what[96];

	igt_huge_setup();
	igt_huge_require_thp();
	bo_map(tdev, pl, IGT_HUGE_MAP_SIZE, IGT_HUGE_PMD_SIZE, &tbo, &map);
	igt_huge_check_map(&r, map.ptr, IGT_GUP_OWNER_DRIVER, &cal);
	bo_unmap(&tbo, &map);
	igt_thp_restore();
	snprintf(what, sizeof(what), "%s in %s", tdev->drm->name, pl->name);
	igt_huge_conclude(&r, what);
}

/* What the fork child found, passed to the parent as data. */
struct fork_report {
	bool pattern_ok;
	int num_out;
	struct igt_gup_check_map map;
	struct igt_gup_outcome out[IGT_GUP_NUM_PROBES * 3];
};

static bool write_all(int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len; ) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += n;
	}
	return true;
}

static bool read_all(int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len; ) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += n;
	}
	return true;
}

/* The child must not use igt_assert: it reports and exits. */
static void fork_child(void *ptr, size_t len, int out)
{
	static struct igt_gup_check c;
	static struct fork_report rep;

	rep.pattern_ok = pattern_check(ptr, 0, len, 0xf0f0) < 0;
	igt_gup_check_init(&c, IGT_GUP_OWNER_DRIVER);
	igt_gup_check_mapping(&c, &cal, ptr, len, NULL, 0, IGT_GUP_CHECK_ALL);
	if (c.num_maps)
		rep.map = c.maps[0];
	rep.num_out = c.num_out < (int)ARRAY_SIZE(rep.out) ? c.num_out :
		      (int)ARRAY_SIZE(rep.out);
	memcpy(rep.out, c.out, rep.num_out * sizeof(rep.out[0]));
	((volatile uint32_t *)ptr)[len / 4 - 1] = 0xc0ffee;
	_exit(write_all(out, &rep, sizeof(rep)) ? 0 : 1);
}

static void check_fork(struct igt_ttm_dev *tdev,
		       const struct igt_ttm_placement *pl,
		       const struct igt_gup_probe *unused)
{
	static struct fork_report rep;
	struct igt_ttm_bo tbo;
	struct igt_bo_map map;
	struct igt_gup_check c;
	int fds[2], status;
	bool got;
	uint32_t marker;
	pid_t pid;

	bo_map(tdev, pl, SZ_64K, 0, &tbo, &map);
	pattern_write(map.ptr, 0, map.len, 0xf0f0);
	igt_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	igt_gup_check_begin(&c, IGT_GUP_OWNER_DRIVER);
	fflush(NULL);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		fork_child(map.ptr, map.len, fds[1]);
	}
	close(fds[1]);
	got = read_all(fds[0], &rep, sizeof(rep));
	close(fds[0]);
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	marker = ((volatile uint32_t *)map.ptr)[map.len / 4 - 1];
	bo_unmap(&tbo, &map);

	igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0 && got,
		     "child died or sent no report (status 0x%x)\n", status);
	igt_assert_f(rep.pattern_ok,
		     "the child does not see the parent's contents\n");
	igt_assert_f(marker == 0xc0ffee,
		     "the child's write did not reach the parent (0x%x)\n",
		     marker);
	/* the child's outcomes, judged by the same rules */
	igt_gup_check_note_vma(&c, rep.map.len, rep.map.vmflags);
	for (int i = 0; i < rep.num_out; i++)
		igt_gup_check_record(&c, 0, rep.out[i].offset, rep.out[i].probe,
				     rep.out[i].cal,
				     rep.out[i].ran ? &rep.out[i].res : NULL);
	igt_gup_check_end(&c);
	conclude(&c, tdev, pl, ", in a forked child");
}

static void check_mremap_expand(struct igt_ttm_dev *tdev,
				const struct igt_ttm_placement *pl,
				const struct igt_gup_probe *unused)
{
	struct igt_ttm_bo tbo;
	struct igt_bo_map map;
	void *p, *q;
	int e1 = 0, e2 = 0;
	ssize_t bad;

	/* 2 MiB alignment leaves the rest of the reservation free after it */
	bo_map(tdev, pl, SZ_64K, SZ_2M, &tbo, &map);
	pattern_write(map.ptr, 0, map.len, 0x3e3);

	p = mremap(map.ptr, map.len, map.len * 2, 0);
	if (p == MAP_FAILED)
		e1 = errno;
	else
		munmap((char *)p + map.len, map.len);	/* keep ours mapped */
	q = mremap(map.ptr, map.len, map.len * 2, MREMAP_MAYMOVE);
	if (q == MAP_FAILED) {
		e2 = errno;
	} else {
		munmap((char *)q + map.len, map.len);
		map.ptr = q;
	}
	bad = pattern_check(map.ptr, 0, map.len, 0x3e3);
	bo_unmap(&tbo, &map);

	igt_info("in place: %s; moving: %s\n",
		 e1 ? strerror(e1) : "GREW", e2 ? strerror(e2) : "GREW");
	igt_assert_f(p == MAP_FAILED, "mremap grew the mapping in place\n");
	igt_assert_f(q == MAP_FAILED, "mremap(MREMAP_MAYMOVE) grew the mapping\n");
	if (e1 != EFAULT || e2 != EFAULT)
		igt_info("expected EFAULT (VM_DONTEXPAND|VM_PFNMAP in vma_to_resize())\n");
	igt_assert_f(bad < 0, "mapping broken after the refused mremap (+0x%zx)\n",
		     (size_t)bad);
}

static void check_partial_munmap(struct igt_ttm_dev *tdev,
				 const struct igt_ttm_placement *pl,
				 const struct igt_gup_probe *unused)
{
	struct igt_ttm_bo tbo;
	struct igt_bo_map full, part, head, tail;
	struct igt_vma_info vfull, vhead, vtail, vhole;
	struct igt_gup_check c;
	size_t pages, h0, h1;
	ssize_t bad_head, bad_tail, bad_back;

	/* at least four pages, also with 64 KiB ones */
	bo_map(tdev, pl, SZ_64K > 4 * igt_page_size() ? SZ_64K :
	       4 * igt_page_size(), 0, &tbo, &full);
	pattern_write(full.ptr, 0, full.len, 0x9a9);
	vma_of(full.ptr, &vfull);
	igt_gup_check_begin(&c, IGT_GUP_OWNER_DRIVER);

	/* a second mapping, split before its first fault */
	igt_assert_eq(igt_bo_mmap(&tbo.bo, 0, MAP_SHARED, &part), 0);
	/* munmap() splits on the kernel's page size, not on 4 KiB */
	pages = part.len / igt_page_size();
	h0 = pages / 4 * igt_page_size();
	h1 = pages / 2 * igt_page_size();
	igt_assert(h0 && h1 > h0);
	igt_assert_eq(munmap((char *)part.ptr + h0, h1 - h0), 0);
	head = (struct igt_bo_map){ part.ptr, h0 };
	tail = (struct igt_bo_map){ (char *)part.ptr + h1, part.len - h1 };

	igt_assert_f(igt_vma_lookup((char *)part.ptr + h0, &vhole) == -ENOENT,
		     "the unmapped range is still mapped\n");
	bad_head = pattern_check(head.ptr, 0, head.len, 0x9a9);
	/* the tail's vm_pgoff moved with the split: same buffer offsets */
	bad_tail = pattern_check_buf(tail.ptr, h1, tail.len, 0x9a9);
	pattern_write_buf(tail.ptr, h1, SZ_4K, 0x1234);
	bad_back = pattern_check(full.ptr, h1, SZ_4K, 0x1234);
	vma_of(head.ptr, &vhead);
	vma_of(tail.ptr, &vtail);
	igt_gup_check_mapping(&c, &cal, head.ptr, head.len, NULL, 0,
			      IGT_GUP_CHECK_ALL);
	igt_gup_check_mapping(&c, &cal, tail.ptr, tail.len, NULL, 0,
			      IGT_GUP_CHECK_ALL);

	munmap(head.ptr, head.len);
	munmap(tail.ptr, tail.len);
	bo_unmap(&tbo, &full);
	igt_gup_check_end(&c);

	igt_info("head VmFlags: %s; tail VmFlags: %s\n", vhead.vmflags,
		 vtail.vmflags);
	igt_assert_f(bad_head < 0, "head reads wrong data at +0x%zx\n",
		     (size_t)bad_head);
	igt_assert_f(bad_tail < 0, "tail reads wrong data at buffer +0x%zx\n",
		     (size_t)bad_tail);
	igt_assert_f(bad_back < 0, "a write through the tail did not reach the buffer\n");
	igt_assert_f(vhead.flags == vfull.flags && vtail.flags == vfull.flags,
		     "VmFlags differ after the split: \"%s\" / \"%s\" vs \"%s\"\n",
		     vhead.vmflags, vtail.vmflags, vfull.vmflags);
	conclude(&c, tdev, pl, ", both parts after the split");
}

static void check_access(struct igt_ttm_dev *tdev,
			 const struct igt_ttm_placement *pl,
			 const struct igt_gup_probe *unused)
{
	struct igt_ttm_bo tbo;
	struct igt_bo_map map;
	uint8_t buf[SZ_4K];
	uint32_t word = 0x600dcafe;
	char hook[192];
	ssize_t r, w = -1;
	int fd, err = 0;
	size_t last;
	bool same = false, wrote = false;

	bo_map(tdev, pl, SZ_64K, 0, &tbo, &map);
	pattern_write(map.ptr, 0, map.len, 0xacc);
	last = map.len - SZ_4K;
	fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	igt_require_f(fd >= 0, "/proc/self/mem: %s\n", strerror(errno));
	r = pread(fd, buf, sizeof(buf), (off_t)(uintptr_t)map.ptr + last);
	if (r < 0)
		err = errno;
	else
		same = r == sizeof(buf) &&
		       pattern_check_buf(buf, last, sizeof(buf), 0xacc) < 0;
	if (same) {
		w = pwrite(fd, &word, sizeof(word), (off_t)(uintptr_t)map.ptr);
		wrote = w == sizeof(word) &&
			((volatile uint32_t *)map.ptr)[0] == word;
	}
	close(fd);
	bo_unmap(&tbo, &map);

	if (err == EIO && pl->iomem && !igt_ttm_access_hook(pl, hook, sizeof(hook)))
		igt_skip("/proc/self/mem gives EIO: ttm_bo_vm_access() reaches %s memory only "
			 "through ttm_device_funcs.access_memory: %s\n",
			 pl->name, hook);
	igt_assert_f(r == sizeof(buf), "/proc/self/mem read: %s\n",
		     r < 0 ? strerror(err) : "short read");
	igt_assert_f(same, "/proc/self/mem returned other data than the mapping\n");
	igt_assert_f(wrote, "/proc/self/mem write did not reach the mapping (%zd)\n",
		     w);
	igt_info("read and write through /proc/self/mem (vm_ops->access) match the mapping\n");
}

/*
 * One dynamic subtest per device whose driver has the placement; a
 * device in the table that is not TTM on this kernel skips, saying so.
 */
static void for_each_device(const char *placement, const char *check,
			    check_fn fn, const struct igt_gup_probe *probe)
{
	char none[768] = "";
	int n = 0;

	/* the facts line's subject (lib/igt_gup_facts.h) */
	igt_gup_facts_subject(&(struct igt_gup_subject){
		.kind = IGT_GUP_KIND_PLACEMENT, .path = placement,
		.check = check });

	for (int i = 0; i < num_devices; i++) {
		struct igt_ttm_dev *tdev = &tdevs[i];
		const struct igt_ttm_placement *pl;

		pl = igt_ttm_placement_find(devices[i].driver, placement);
		if (!pl) {
			igt_gup_appendf(none, sizeof(none), "%s%s: %s", none[0] ? "; " : "",
			       devices[i].name,
			       igt_ttm_driver_known(devices[i].driver) ?
			       "no such placement" : tdev->det.ttm ?
			       "TTM, but no placement table for this driver" :
			       "not TTM");
			continue;
		}
		n++;
		igt_dynamic_f("%s", devices[i].name) {
			igt_gup_facts_subject(&(struct igt_gup_subject){
				.kind = IGT_GUP_KIND_PLACEMENT,
				.path = placement, .check = check,
				.device = devices[i].node,
				.driver = devices[i].driver,
				.module = devices[i].module });
			igt_require_f(tdev->det.ttm,
				      "%s is not a TTM driver on this kernel (%s)\n",
				      devices[i].driver, tdev->det.why);
			igt_require_f(!pl->no_alloc, "%s\n", pl->no_alloc);
			igt_info("%s %s: %s%s\n", devices[i].name, pl->name,
				 pl->domain, pl->hardware ?
				 " [hardware driver: not exercised on virtual hardware]" :
				 "");
			fn(tdev, pl, probe);
		}
	}
	if (!n)
		igt_skip("no device here has a %s placement (%s)\n", placement,
			 none[0] ? none : "no DRM device");
}

static void print_detection(void)
{
	char holders[256];

	igt_ttm_holders(holders, sizeof(holders));
	igt_info("TTM detection: /sys/module/ttm/holders: %s\n", holders);
	for (int i = 0; i < num_devices; i++) {
		const struct igt_ttm_dev *t = &tdevs[i];
		char pls[160] = "";

		for (unsigned int k = 0; k < igt_ttm_num_placements; k++) {
			const struct igt_ttm_placement *pl =
				&igt_ttm_placements[k];

			if (strcmp(pl->driver, devices[i].driver))
				continue;
			igt_gup_appendf(pls, sizeof(pls), "%s%s%s", pls[0] ? ", " : "",
			       pl->name, pl->no_alloc ? " (unreachable)" : "");
		}
		igt_info("  %s: %s: %s; placements: %s\n", devices[i].name,
			 t->det.ttm ? "TTM" : "not TTM", t->det.why,
			 pls[0] ? pls : t->det.ttm ? "none (driver not in the table)" :
			 "-");
	}
}

static void open_devices(void)
{
	for (int idx = 0; num_devices < MAX_DEVICES; idx++) {
		struct igt_drm_dev *dev = &devices[num_devices];
		int fd = igt_drm_open_existing(idx, EVERY_DRIVER);

		if (fd < 0)
			break;
		if (igt_drm_dev_describe(fd, dev)) {
			close(fd);
			continue;
		}
		igt_ttm_dev_init(&tdevs[num_devices], dev);
		num_devices++;
	}
	igt_require_f(num_devices,
		      "no DRM device could be opened (%s)\n",
		      access("/dev/dri", F_OK) ? "/dev/dri is absent" :
		      "no card node opened; check --device filters and permissions");
}

static const struct {
	const char *name;
	check_fn fn;
	const char *what;
} checks[] = {
	{ "vma-flags", check_vma_flags,
	  "carries VM_PFNMAP, VM_IO, VM_DONTEXPAND and VM_DONTDUMP" },
	{ "cow-refused", check_cow_refused,
	  "cannot be mapped MAP_PRIVATE (EINVAL, no kernel warning)" },
	{ "move", check_move,
	  "keeps its contents, VmFlags and GUP refusal across a proven move" },
	{ "huge", check_huge,
	  "is mapped with proven huge entries that refuse every GUP probe" },
	{ "fork", check_fork,
	  "is shared with a forked child that cannot pin it" },
	{ "mremap-expand", check_mremap_expand,
	  "cannot be grown with mremap" },
	{ "partial-munmap", check_partial_munmap,
	  "keeps working in both parts after its middle is unmapped" },
	{ "access", check_access,
	  "is readable and writable through /proc/self/mem (vm_ops->access)" },
};

igt_main
{
	igt_fixture {
		open_devices();
		print_detection();
		igt_gup_calibrate(&cal);
		igt_gup_calibration_print(&cal, igt_gup_info_line);
	}

	for (unsigned int i = 0; i < igt_ttm_num_placement_names; i++) {
		const char *pl = igt_ttm_placement_names[i];

		for (size_t c = 0; c < ARRAY_SIZE(checks); c++) {
			igt_describe_f("A mapping of a TTM buffer in the %s "
				       "placement %s.", pl, checks[c].what);
			igt_subtest_with_dynamic_f("%s-%s", pl, checks[c].name)
				for_each_device(pl, checks[c].name,
						checks[c].fn, NULL);

			if (strcmp(checks[c].name, "cow-refused"))
				continue;
			/* the probes right after cow-refused, as in the doc */
			for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
				const struct igt_gup_probe *probe =
					&igt_gup_probes[p];

				igt_describe_f("Fault in TTM buffers in the %s "
					       "placement and check that %s is "
					       "refused on them.", pl,
					       probe->reaches);
				igt_subtest_with_dynamic_f("%s-gup-%s", pl,
							   probe->name)
					for_each_device(pl, probe->name,
							check_gup, probe);
			}
		}
	}
}
