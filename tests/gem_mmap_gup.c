// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The igt-mmap-gup authors
 */

/**
 * TEST: gem mmap gup
 * Category: Core
 * Mega feature: General Core features
 * Sub-category: Memory management
 * Functionality: mmap
 * Description: Check that every CPU mapping of a buffer object either
 *	carries VM_PFNMAP or makes every get_user_pages path fail, on every
 *	DRM device and every mmap path its driver offers.
 *
 * SUBTEST: probe-calibration
 * Description: Show each probe pinning anonymous, shmem and (futex)
 *	mapping-less memory and being refused on a VM_PFNMAP mapping the
 *	kernel made itself, one dynamic subtest per probe; fail if a probe
 *	pins a VM_PFNMAP mapping, and (gup-fast) where no GUP-fast probe
 *	that sees every pin calibrates in the VM.
 *
 * SUBTEST: huge-calibration
 * Description: Show each GUP probe pinning PMD-mapped anonymous THP and a
 *	PMD-mapped shmem THP memfd (AnonHugePages / ShmemPmdMapped in smaps)
 *	at the first, a middle and the last page of the first PMD and in the
 *	second, so that a refusal on a huge PFN entry is evidence; fail if a
 *	probe trusted at 4 KiB cannot pin a huge mapping.
 *
 * SUBTEST: %s-huge
 * Description: A 4 MiB buffer mapped at a 2 MiB-aligned address with
 *	shmem THP on: prove that the kernel mapped it with PMD entries (fault
 *	counts and vmf_insert_pfn_pmd kprobes, printed), then require every
 *	calibrated GUP probe to be refused inside them, read-direction probes
 *	first; skip, saying why, where the kernel maps base pages.
 *
 * SUBTEST: %s-vma-flags
 * Description: Every calibrated probe runs on the mapping, VM_PFNMAP or
 *	not: none may pin it and a GUP-fast probe must be refused; VmFlags
 *	alone give flags-only, a skip.
 *
 * SUBTEST: %s-map-private
 * Description: A MAP_PRIVATE mapping of the buffer is refused cleanly or
 *	works, with no kernel warning either way.
 *
 * SUBTEST: %s-%s
 * Description: The GUP probe is refused on every page tried of buffers of
 *	several sizes, one of them 2 MiB aligned.
 *
 * arg[1]:
 *
 * @dumb:		dumb buffer mapped through the DRM file
 * @prime:		dumb buffer exported as a dma-buf, mapped through it
 * @virtgpu:		virtio-gpu resource mapped with VIRTGPU_MAP
 * @qxl-vram:		qxl buffer in the VRAM domain
 * @qxl-surface:	qxl surface in the SURFACE domain
 * @i915-gtt:		GTT-mapped i915 buffer
 * @i915-offset-wb:	write-back i915 mmap-offset buffer
 * @i915-offset-wc:	write-combined i915 mmap-offset buffer
 * @i915-offset-uc:	non-cached (UC) i915 mmap-offset buffer
 * @i915-offset-fixed:	fixed-mode i915 mmap-offset buffer
 * @i915-lmem-fixed:	device-local (lmem) i915 buffer
 * @i915-legacy-cpu:	shmem-backed i915 legacy CPU-mmap buffer
 * @xe-system:		system-memory xe buffer
 * @xe-vram:		CPU-visible VRAM xe buffer
 * @amdgpu-vram:		VRAM-requested amdgpu buffer
 * @amdgpu-gtt:		GTT-domain amdgpu buffer
 * @amdgpu-cpu:		CPU-domain amdgpu buffer
 * @amdgpu-doorbell:	doorbell-domain amdgpu buffer
 * @radeon-vram:		VRAM-domain radeon buffer
 * @radeon-gtt:		GTT-domain radeon buffer
 * @radeon-cpu:		CPU-domain radeon buffer
 * @nouveau-vram:	mappable VRAM nouveau buffer
 * @nouveau-gart:	GART-domain nouveau buffer
 * @msm-wc:		write-combined msm buffer
 * @panfrost-bo:		no-exec panfrost buffer
 * @v3d-bo:		v3d buffer
 * @vc4-bo:		vc4 buffer
 * @etnaviv-wc:		write-combined etnaviv buffer
 * @lima-bo:		lima buffer
 * @vmwgfx-bo:		vmwgfx buffer
 * @canary-page:	canary module: vm_insert_page, normal PTEs (unsafe)
 * @canary-pfn:		canary module: vmf_insert_pfn, special PTEs
 * @canary-mixed-special: canary module: vmf_insert_mixed, special PTEs
 * @canary-huge-pmd:	canary module: 2 MiB PFN PMDs over RAM
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
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_sizes.h"
#include "igt_canary.h"
#include "igt_drm_dev.h"
#include "igt_gup.h"
#include "igt_gup_check.h"
#include "igt_gup_facts.h"
#include "igt_huge_probe.h"
#include "igt_kmsg_watch.h"
#include "igt_mmap_path.h"
#include "igt_thp.h"
#include "igt_vma.h"

IGT_TEST_DESCRIPTION("Check that GPU buffer mappings cannot be pinned by "
		     "get_user_pages: each must be VM_PFNMAP or refuse "
		     "every GUP path.");

#define MAX_DEVICES 16

static const struct {
	size_t size;
	size_t align;
} buffer_sizes[] = {
	{ SZ_4K, 0 },
	{ SZ_256K, 0 },
	/* a PMD-aligned range: where a huge entry could be inserted */
	{ SZ_4M, SZ_2M },
};

/* DRIVER_ANY leaves out the virtual drivers: this test wants them all */
#define EVERY_DRIVER (DRIVER_ANY | DRIVER_VGEM | DRIVER_VIRTIO | DRIVER_VKMS)

static struct igt_drm_dev devices[MAX_DEVICES];
static int num_devices;
static struct igt_gup_calibration cal;

/*
 * Maps one buffer of the path; false (with the reason noted) when the
 * driver would not allocate or map it, which is not unsafe.
 */
static bool map_one(const struct igt_mmap_path *path,
		    const struct igt_drm_dev *dev, size_t size, size_t align,
		    int flags, struct igt_bo *bo, struct igt_bo_map *map,
		    char *skips, size_t skips_len)
{
	int r;

	r = igt_bo_alloc(path, dev, size, bo);
	if (r) {
		char why[512];

		/* only errnos that mean "not on this device/kernel" skip */
		igt_assert_f(igt_bo_alloc_not_here(path, bo, r, why, sizeof(why)),
			     "%zu KiB %s buffer: %s\n", size >> 10, path->name, why);
		igt_gup_appendf(skips, skips_len, "%s%zu KiB: %s",
		       skips[0] ? "; " : "", size >> 10, why);
		return false;
	}
	r = igt_bo_mmap(bo, align, flags, map);
	if (r) {
		igt_gup_appendf(skips, skips_len, "%s%zu KiB: mmap refused (%s)",
		       skips[0] ? "; " : "", size >> 10, strerror(-r));
		igt_bo_release(path, bo);
		return false;
	}
	return true;
}

/*
 * The buffers of the path checks, kept from one subtest to the next: the
 * guest runner (like igt_runner's multiple mode) runs all the subtests of
 * a binary in one process, and the vma-flags and per-probe subtests of a
 * path map the same buffers on each device. The first subtest that needs
 * one makes it, so each subtest still runs alone (--run-subtest); they
 * go when the path changes and after the last subtest.
 *
 * Reuse changes no verdict. Every probe's pin ends with its syscall:
 * O_DIRECT completes before pread()/pwrite() return, the vmsplice pipe
 * is closed and the io_uring buffer unregistered (its ring torn down)
 * within the probe, and futex, process_vm_readv and MADV_POPULATE hold
 * nothing once they return. igt_gup_run() faults each probed page in
 * before it probes, so a later probe meets the page tables it would have
 * met on a fresh buffer. What a probe may leave is the buffer's contents
 * (an O_DIRECT read writes into it), which no verdict reads. Each
 * subtest still reads its mapping's VmFlags from smaps and watches the
 * kernel log over its own probes. The canary's paths, whose driver
 * reports what it installed, get fresh buffers every time, and so do
 * the paths that ask the kernel where it placed a buffer (.where): a
 * kept buffer could have been moved since (TTM evicts), and the
 * placement a subtest shows must be the one it probed.
 */
struct path_buffer {
	const struct igt_mmap_path *path;
	const struct igt_drm_dev *dev;
	size_t size;
	struct igt_bo bo;
	struct igt_bo_map map;
};

static struct path_buffer kept[MAX_DEVICES * ARRAY_SIZE(buffer_sizes)];
static int num_kept;

static void drop_kept_buffers(void)
{
	while (num_kept) {
		struct path_buffer *b = &kept[--num_kept];

		igt_bo_munmap(&b->map);
		igt_bo_release(b->path, &b->bo);
	}
}

static bool keeps_buffers(const struct igt_mmap_path *path)
{
	return !path->installed && !path->where;
}

/*
 * The mapped buffer of size index @s for the path on the device: a kept
 * one, or a new one (kept where the path allows). NULL, with the reason
 * noted, when the driver would not allocate or map it.
 */
static struct path_buffer *get_buffer(const struct igt_mmap_path *path,
				      const struct igt_drm_dev *dev, size_t s,
				      struct path_buffer *fresh,
				      char *skips, size_t skips_len)
{
	struct path_buffer *b = fresh;

	if (num_kept && kept[0].path != path)
		drop_kept_buffers();
	for (int i = 0; i < num_kept; i++)
		if (kept[i].dev == dev && kept[i].size == buffer_sizes[s].size)
			return &kept[i];
	if (keeps_buffers(path) && num_kept < (int)ARRAY_SIZE(kept))
		b = &kept[num_kept];
	if (!map_one(path, dev, buffer_sizes[s].size, buffer_sizes[s].align,
		     MAP_SHARED, &b->bo, &b->map, skips, skips_len))
		return NULL;
	b->path = path;
	b->dev = dev;
	b->size = buffer_sizes[s].size;
	if (b != fresh)
		num_kept++;
	return b;
}

static void put_buffer(struct path_buffer *b, struct path_buffer *fresh)
{
	if (b != fresh)
		return;
	igt_bo_munmap(&b->map);
	igt_bo_release(b->path, &b->bo);
}

/* @vma: the mapping's smaps entry, read in this subtest */
static void describe_mapping(const struct igt_bo *bo,
			     const struct igt_bo_map *map,
			     const struct igt_vma_info *vma)
{
	char why[128], ev[512];
	enum igt_vma_huge huge;

	igt_info("%s at %p (+%zu KiB): VmFlags: %s\n", bo->desc, map->ptr,
		 map->len >> 10, vma->vmflags);
	if (map->len >= SZ_2M) {
		huge = igt_vma_huge_entries(map->ptr, map->len, vma, why,
					    sizeof(why));
		igt_info("  huge entries: %s (%s)\n", igt_vma_huge_name(huge),
			 why);
		snprintf(ev, sizeof(ev), "%s, %zu KiB: %s (%s)", bo->desc,
			 map->len >> 10, igt_vma_huge_name(huge), why);
		igt_gup_facts_huge(ev);
	}
}

/*
 * Calibration costs a few dozen syscalls and an O_DIRECT file: do it once
 * per process, and only for subtests that will use it (igt_runner runs
 * each subtest in its own process).
 */
static void calibrate_once(void)
{
	static bool done;

	if (!done)
		igt_gup_calibrate(&cal);
	done = true;
}

static void check_calibration(const struct igt_gup_probe *probe)
{
	igt_assert_f(!cal.pinned_pfnmap[probe->id], "probe %s: %s\n",
		     probe->name, cal.reason[probe->id]);
	igt_require_f(cal.calibrated[probe->id], "probe %s: %s: %s\n",
		      probe->name, igt_gup_cal_state_name(cal.state[probe->id]),
		      cal.reason[probe->id]);
	igt_info("probe %s (%s): %s\n", probe->name,
		 !probe->is_gup ? "VMA-flag check, informational" :
		 probe->fast ? "GUP-fast" : "slow GUP", cal.reason[probe->id]);
}

/*
 * Only a GUP-fast refusal proves a pass (lib/igt_gup_check.h): without a
 * calibrated one every verdict is flags-only or inconclusive. Where the
 * environment promises one (the VM harness sets IGT_GUP_REQUIRE_FAST,
 * with a real O_DIRECT filesystem), its absence is a failure.
 */
static void check_gup_fast_calibrated(void)
{
	uint32_t fast = igt_gup_check_fast_probes();
	char why[1024] = "";
	int n = 0;

	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		if (!(fast & IGT_GUP_CHECK_PROBE(p)) ||
		    igt_gup_probes[p].blind_unmapped)
			continue;
		if (cal.calibrated[p]) {
			igt_info("GUP-fast probe %s is calibrated\n",
				 igt_gup_probes[p].name);
			n++;
		} else {
			igt_gup_appendf(why, sizeof(why), "%s%s: %s", why[0] ? "; " : "",
			       igt_gup_probes[p].name, cal.reason[p]);
		}
	}
	if (!n && getenv("IGT_GUP_REQUIRE_FAST"))
		igt_assert_f(false,
			     "IGT_GUP_REQUIRE_FAST is set and no GUP-fast probe that sees every pin is calibrated: %s\n",
			     why);
	igt_require_f(n, "no GUP-fast probe that sees every pin is calibrated: every verdict can only be flags-only or a skip (%s)\n",
		      why);
}

static void require_path(const struct igt_mmap_path *path)
{
	const char *why = igt_canary_absent_why(path);

	for (int i = 0; i < num_devices; i++)
		if (igt_mmap_path_applies(path, &devices[i]))
			return;
	igt_skip("no device here offers the %s path (%s)%s%s\n", path->name,
		 path->uapi, why ? ": " : "", why ? why : "");
}

/*
 * The driver's own account of the mapping, where it gives one (the
 * canary), once the pages the checker probes are faulted in: a mapping
 * without the entries the path exists to test is not probed.
 */
static bool check_installed(const struct igt_mmap_path *path,
			    const struct igt_bo *bo,
			    const struct igt_bo_map *map,
			    char *skips, size_t skips_len)
{
	char what[256];

	if (!path->installed)
		return true;
	igt_gup_fault_in(map->ptr, SZ_4K, true);
	igt_gup_fault_in((char *)map->ptr + (map->len / 2 & ~(SZ_4K - 1)),
			 SZ_4K, true);
	igt_gup_fault_in((char *)map->ptr + map->len - SZ_4K, SZ_4K, true);
	if (path->installed(bo, what, sizeof(what))) {
		igt_info("  installed: %s\n", what);
		return true;
	}
	igt_info("  not what the path tests, not probed: %s\n", what);
	igt_gup_appendf(skips, skips_len, "%s%zu KiB: %s", skips[0] ? "; " : "",
	       bo->size >> 10, what);
	return false;
}

static void require_calibrated(const struct igt_gup_probe *probe)
{
	calibrate_once();
	igt_require_f(cal.calibrated[probe->id],
		      "probe %s is %s on this kernel: %s\n", probe->name,
		      igt_gup_cal_state_name(cal.state[probe->id]),
		      cal.reason[probe->id]);
}

/*
 * Kept buffers are all mapped first and their smaps entries read at once:
 * one read of smaps per subtest. Fresh ones (the canary's) go one at a
 * time, each looked up as it is mapped.
 */
static void get_kept_buffers(const struct igt_mmap_path *path,
			     const struct igt_drm_dev *dev,
			     struct path_buffer **bufs,
			     struct path_buffer *fresh,
			     struct igt_vma_info *vmas,
			     char *skips, size_t skips_len)
{
	const void *addrs[ARRAY_SIZE(buffer_sizes)];
	struct igt_vma_info found[ARRAY_SIZE(buffer_sizes)];
	int n = 0;

	for (size_t s = 0; s < ARRAY_SIZE(buffer_sizes); s++) {
		bufs[s] = get_buffer(path, dev, s, &fresh[s], skips, skips_len);
		if (bufs[s])
			addrs[n++] = bufs[s]->map.ptr;
	}
	if (!n)
		return;
	igt_assert_eq(igt_vma_lookup_many(addrs, n, found), 0);
	n = 0;
	for (size_t s = 0; s < ARRAY_SIZE(buffer_sizes); s++)
		if (bufs[s])
			vmas[s] = found[n++];
}

/*
 * Maps each buffer size of the path, faulted in, and lets the checker
 * probe it (lib/igt_gup_check.h has the rules). @proof: whose refusal
 * proves a pass, 0 for the checker's default (GUP-fast).
 */
static void check_path(const struct igt_mmap_path *path,
		       const struct igt_drm_dev *dev, uint32_t probes,
		       uint32_t proof, const char *what)
{
	struct path_buffer fresh[ARRAY_SIZE(buffer_sizes)];
	struct path_buffer *bufs[ARRAY_SIZE(buffer_sizes)];
	struct igt_vma_info vmas[ARRAY_SIZE(buffer_sizes)];
	bool together = keeps_buffers(path);
	struct igt_gup_check c;
	char skips[1024] = "";
	int mapped = 0;

	calibrate_once();
	igt_gup_check_begin(&c, path->owner == IGT_MMAP_OWNER_CORE_MM ?
			    IGT_GUP_OWNER_CORE_MM : IGT_GUP_OWNER_DRIVER);
	if (proof)
		c.proof_probes = proof;
	if (together)
		get_kept_buffers(path, dev, bufs, fresh, vmas, skips,
				 sizeof(skips));
	for (size_t s = 0; s < ARRAY_SIZE(buffer_sizes); s++) {
		struct path_buffer *b;

		if (!together) {
			bufs[s] = get_buffer(path, dev, s, &fresh[s], skips,
					     sizeof(skips));
			if (bufs[s])
				igt_assert_eq(igt_vma_lookup(bufs[s]->map.ptr,
							     &vmas[s]), 0);
		}
		b = bufs[s];
		if (!b)
			continue;
		mapped++;
		describe_mapping(&b->bo, &b->map, &vmas[s]);
		igt_assert_f(vmas[s].has_vmflags,
			     "smaps shows no VmFlags for the mapping\n");
		if (check_installed(path, &b->bo, &b->map, skips,
				    sizeof(skips)))
			igt_gup_check_mapping_vma(&c, &cal, b->map.ptr,
						  b->map.len, &vmas[s], NULL, 0,
						  probes);
		if (!together)
			put_buffer(b, &fresh[s]);
	}
	for (size_t s = 0; together && s < ARRAY_SIZE(buffer_sizes); s++)
		if (bufs[s])
			put_buffer(bufs[s], &fresh[s]);
	igt_gup_check_end(&c);

	if (skips[0])
		igt_info("not everything could be tried: %s\n", skips);
	igt_require_f(mapped || c.verdict == IGT_GUP_VERDICT_FAIL,
		      "no %s buffer could be mapped on %s: %s\n",
		      path->name, dev->name, skips);
	igt_gup_check_conclude(&c, what);
}

static void check_probe(const struct igt_mmap_path *path,
			const struct igt_drm_dev *dev,
			const struct igt_gup_probe *probe)
{
	char what[160];

	snprintf(what, sizeof(what), "%s on %s, %s", path->name, dev->name,
		 probe->name);
	check_path(path, dev, IGT_GUP_CHECK_PROBE(probe->id),
		   IGT_GUP_CHECK_PROBE(probe->id), what);
}

/*
 * The verdict rule: every calibrated probe runs, VM_PFNMAP or not; a pass
 * needs a GUP-fast refusal, VM_PFNMAP alone is flags-only.
 */
static void check_vma_flags(const struct igt_mmap_path *path,
			    const struct igt_drm_dev *dev)
{
	char what[160];

	snprintf(what, sizeof(what), "%s on %s", path->name, dev->name);
	check_path(path, dev, IGT_GUP_CHECK_ALL, 0, what);
}

/*
 * A private mapping of driver memory must be refused (TTM and the shmem
 * helper do, from 5.14 and 5.16) or behave as copy-on-write: the private
 * copy takes the writes, the buffer keeps its contents.
 */
static void check_map_private(const struct igt_mmap_path *path,
			      const struct igt_drm_dev *dev)
{
	struct igt_kmsg_watch watch;
	struct igt_bo bo;
	struct igt_bo_map shared, priv;
	char report[1024];
	int r, warnings;
	bool leaked;

	drop_kept_buffers();	/* the path's probe subtests are over */
	r = igt_bo_alloc(path, dev, SZ_256K, &bo);
	if (r) {
		char why[512];

		igt_assert_f(igt_bo_alloc_not_here(path, &bo, r, why, sizeof(why)),
			     "%s buffer on %s: %s\n", path->name, dev->name, why);
		igt_skip("%s buffer on %s: %s\n", path->name, dev->name, why);
	}
	r = igt_bo_mmap(&bo, 0, MAP_SHARED, &shared);
	if (r) {
		igt_bo_release(path, &bo);
		igt_skip("%s: shared mapping refused on %s: %s\n", path->name,
			 dev->name, strerror(-r));
	}
	memset(shared.ptr, 0x5a, shared.len);

	r = igt_kmsg_watch_begin(&watch);
	if (r) {
		igt_bo_munmap(&shared);
		igt_bo_release(path, &bo);
		igt_skip("cannot read /dev/kmsg (%s): the kernel log must be watched\n",
			 strerror(-r));
	}

	r = igt_bo_mmap(&bo, 0, MAP_PRIVATE, &priv);
	if (r) {
		igt_info("MAP_PRIVATE refused: %s\n", strerror(-r));
		leaked = false;
	} else {
		struct igt_vma_info vma;

		if (!igt_vma_lookup(priv.ptr, &vma))
			igt_info("MAP_PRIVATE accepted: VmFlags: %s\n",
				 vma.vmflags);
		/* the write makes the kernel break COW on driver memory */
		memset(priv.ptr, 0xa5, priv.len);
		leaked = ((volatile uint8_t *)shared.ptr)[0] != 0x5a ||
			 ((volatile uint8_t *)shared.ptr)[shared.len - 1] != 0x5a;
		igt_info("private copy reads back %s\n",
			 ((volatile uint8_t *)priv.ptr)[priv.len - 1] == 0xa5 ?
			 "the writes" : "something else");
		igt_bo_munmap(&priv);
	}
	igt_bo_munmap(&shared);
	igt_bo_release(path, &bo);

	warnings = igt_kmsg_watch_end(&watch, report, sizeof(report));
	igt_assert_f(!leaked,
		     "a write through MAP_PRIVATE reached the buffer itself\n");
	igt_assert_f(warnings == 0, "kernel warned after MAP_PRIVATE: %s\n",
		     report);
}

/*
 * A buffer of two PMDs at a 2 MiB-aligned address, with shmem THP on:
 * probed only where the kernel is proven to have mapped it huge.
 */
static void check_huge(const struct igt_mmap_path *path,
		       const struct igt_drm_dev *dev,
		       const struct igt_gup_probe *unused)
{
	static struct igt_huge_result r;
	struct igt_bo_map map;
	struct igt_bo bo;
	int ret;

	drop_kept_buffers();	/* the path's probe subtests are over */
	calibrate_once();
	igt_huge_setup();
	igt_huge_require_thp();
	ret = igt_bo_alloc(path, dev, IGT_HUGE_MAP_SIZE, &bo);
	if (ret) {
		char why[512];
		bool not_here = igt_bo_alloc_not_here(path, &bo, ret, why,
						      sizeof(why));

		igt_thp_restore();
		/* only errnos that mean "not on this device/kernel" skip */
		igt_assert_f(not_here, "%s: 4 MiB buffer on %s: %s\n",
			     path->name, dev->name, why);
		igt_skip("%s: 4 MiB buffer on %s: %s\n", path->name,
			 dev->name, why);
	}
	ret = igt_bo_mmap(&bo, IGT_HUGE_PMD_SIZE, MAP_SHARED, &map);
	if (ret) {
		igt_bo_release(path, &bo);
		igt_thp_restore();
		igt_skip("%s: mmap refused on %s: %s\n", path->name, dev->name,
			 strerror(-ret));
	}
	igt_info("%s\n", bo.desc);
	igt_huge_check_map(&r, map.ptr, path->owner == IGT_MMAP_OWNER_CORE_MM ?
			   IGT_GUP_OWNER_CORE_MM : IGT_GUP_OWNER_DRIVER, &cal);
	igt_bo_munmap(&map);
	igt_bo_release(path, &bo);
	igt_thp_restore();
	igt_huge_conclude(&r, path->name);
}

/* The facts line's subject (lib/igt_gup_facts.h): what the host reads. */
static void subject(const char *kind, const char *path, const char *check,
		    const struct igt_drm_dev *dev)
{
	igt_gup_facts_subject(&(struct igt_gup_subject){
		.kind = kind, .path = path, .check = check,
		.device = dev ? dev->node : NULL,
		.driver = dev ? dev->driver : NULL,
		.module = dev ? dev->module : NULL,
	});
}

static void for_each_applicable_device(const struct igt_mmap_path *path,
				       const char *check,
				       void (*fn)(const struct igt_mmap_path *,
						  const struct igt_drm_dev *,
						  const struct igt_gup_probe *),
				       const struct igt_gup_probe *probe)
{
	subject(IGT_GUP_KIND_PATH, path->name, check, NULL);
	require_path(path);
	if (probe)
		require_calibrated(probe);
	for (int i = 0; i < num_devices; i++) {
		if (!igt_mmap_path_applies(path, &devices[i]))
			continue;
		igt_dynamic_f("%s", devices[i].name) {
			subject(IGT_GUP_KIND_PATH, path->name, check,
				&devices[i]);
			fn(path, &devices[i], probe);
		}
	}
}

static void run_vma_flags(const struct igt_mmap_path *path,
			  const struct igt_drm_dev *dev,
			  const struct igt_gup_probe *unused)
{
	check_vma_flags(path, dev);
}

static void run_map_private(const struct igt_mmap_path *path,
			    const struct igt_drm_dev *dev,
			    const struct igt_gup_probe *unused)
{
	check_map_private(path, dev);
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
		igt_info("%s: driver %s, render node %s, dumb %s, prime export %s, ttm %s\n",
			 dev->node, dev->driver,
			 dev->render_node[0] ? dev->render_node : "none",
			 dev->has_dumb ? "yes" : "no",
			 dev->can_export ? "yes" : "no",
			 dev->ttm ? "yes" : "no");
		num_devices++;
	}
	/* the canary pseudo device, where the harness loaded it */
	if (num_devices < MAX_DEVICES &&
	    !igt_canary_open(&devices[num_devices])) {
		igt_info("%s: the canary, an unsafe test-only driver (not DRM)\n",
			 IGT_CANARY_DEV);
		num_devices++;
	}
	igt_require_f(num_devices,
		      "no DRM device could be opened (%s)\n",
		      access("/dev/dri", F_OK) ? "/dev/dri is absent" :
		      "no card node opened; check --device filters and permissions");
}

igt_main
{
	igt_fixture {
		open_devices();
	}

	igt_describe("Run every probe against anonymous memory, a shmem "
		     "memfd, pages without ->mapping and the VM_PFNMAP "
		     "mappings the kernel offers: one dynamic subtest per "
		     "probe, and gup-fast, which needs a calibrated GUP-fast "
		     "probe that sees every pin.");
	igt_subtest_with_dynamic("probe-calibration") {
		calibrate_once();
		igt_gup_calibration_print(&cal, igt_gup_info_line);
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			igt_dynamic_f("%s", igt_gup_probes[p].name) {
				subject(IGT_GUP_KIND_PROBE, "probe-calibration",
					igt_gup_probes[p].name, NULL);
				check_calibration(&igt_gup_probes[p]);
			}
		}
		igt_dynamic("gup-fast") {
			subject(IGT_GUP_KIND_PROBE, "probe-calibration",
				"gup-fast", NULL);
			check_gup_fast_calibrated();
		}
	}

	igt_describe("Run every GUP probe against PMD-mapped anonymous and "
		     "shmem THP, and show which probes can be trusted on huge "
		     "entries.");
	igt_subtest("huge-calibration") {
		const struct igt_huge_calibration *hcal;
		int proof = 0;

		calibrate_once();
		igt_huge_setup();
		igt_huge_calibration_show();
		hcal = igt_huge_calibration();
		for (int r = 0; r < IGT_HUGE_NUM_REFS; r++)
			igt_require_f(hcal->refs[r].available,
				      "no huge reference: %s: %s\n",
				      hcal->refs[r].name, hcal->refs[r].why);
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			const struct igt_gup_probe *probe = &igt_gup_probes[p];

			if (!probe->is_gup || !cal.calibrated[p])
				continue;
			igt_assert_f(hcal->calibrated[p],
				     "probe %s, trusted at 4 KiB, fails on huge mappings: %s\n",
				     probe->name, hcal->reason[p]);
			proof += probe->fast && !probe->blind_unmapped;
		}
		igt_require_f(proof,
			      "no GUP-fast probe that sees every pin is calibrated\n");
	}

	for (unsigned int i = 0; i < igt_mmap_num_paths; i++) {
		const struct igt_mmap_path *path = &igt_mmap_paths[i];

		igt_describe_f("Path %s (%s): run every calibrated probe "
			       "on each mapping, VM_PFNMAP or not: no pin, "
			       "and a GUP-fast refusal to prove it.",
			       path->name, path->summary);
		igt_subtest_with_dynamic_f("%s-vma-flags", path->name)
			for_each_applicable_device(path, "vma-flags",
						   run_vma_flags, NULL);

		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			const struct igt_gup_probe *probe = &igt_gup_probes[p];

			igt_describe_f("Path %s (%s): fault the buffer in "
				       "and check that %s is refused on it.",
				       path->name, path->summary,
				       probe->reaches);
			igt_subtest_with_dynamic_f("%s-%s", path->name,
						   probe->name)
				for_each_applicable_device(path, probe->name,
							   check_probe, probe);
		}

		igt_describe_f("Path %s (%s) mapped huge: prove the kernel "
			       "installed PMD entries, then check that every "
			       "calibrated GUP probe is refused inside them.",
			       path->name, path->summary);
		igt_subtest_with_dynamic_f("%s-huge", path->name)
			for_each_applicable_device(path, IGT_GUP_CHECK_HUGE,
						   check_huge,
						   NULL);

		igt_describe_f("Path %s (%s) with MAP_PRIVATE: the kernel "
			       "must refuse it cleanly or give a working "
			       "copy-on-write mapping, without a warning.",
			       path->name, path->summary);
		igt_subtest_with_dynamic_f("%s-map-private", path->name)
			for_each_applicable_device(path, "map-private",
						   run_map_private, NULL);
	}

	igt_fixture {
		drop_kept_buffers();
	}
}
