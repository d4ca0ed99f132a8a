// SPDX-License-Identifier: MIT
/*
 * Unit test of the hardware drivers' mmap paths (lib/igt_mmap_path_hw.c)
 * against a fake DRM device (fake_drm.so, LD_PRELOADed by meson): the
 * exact ioctl sequence each path makes, each argument's size against the
 * size the kernel's uAPI header gives (written here as numbers, so that
 * a wrong declaration in lib/igt_uapi_extra.h cannot agree with itself),
 * the fields that choose placement and caching, the mapping, the release,
 * and clean failure when any one of the ioctls fails.
 */

/**
 * TEST: hwpaths
 * Category: Infrastructure
 * Description: Each hardware driver's mmap path, run against a fake DRM
 *	file descriptor: ioctl sequence, argument sizes and fields, mapping,
 *	release and error handling.
 *
 * SUBTEST: table
 * Description: Every hardware path has a case here, a well-formed name
 *	and a summary that reads right in gem_mmap_gup's descriptions.
 *
 * SUBTEST: doc-status
 * Description: docs/hardware.md has a status row for every hardware path
 *	that says "never run on hardware" or names a recorded run.
 *
 * SUBTEST: applies
 * Description: applies() follows the driver name and the capability the
 *	kernel reports (i915 aperture, device memory, MMAP_OFFSET, legacy
 *	mmap; xe VRAM; vc4 3D), and makes no ioctl for other drivers.
 *
 * SUBTEST: sequence
 * Description: One dynamic subtest per path: alloc's ioctls, their sizes
 *	and key fields, the mapping and the release.
 *
 * SUBTEST: errors
 * Description: One dynamic subtest per path: each of alloc's ioctls
 *	fails in turn (EINVAL, ENOSPC, ENODEV); alloc returns that error
 *	and leaves no object or descriptor behind.
 *
 * SUBTEST: render-node
 * Description: The render node is found from the primary node through
 *	sysfs and every hardware path's ioctls and mapping go through it;
 *	without one they go through the primary node.
 *
 * SUBTEST: drm-auth
 * Description: On an unauthenticated primary node without a render node,
 *	amdgpu's and radeon's DRM_AUTH ioctls fail with EACCES, read as a
 *	skip that names DRM master; the render node needs no
 *	authentication; the other drivers' paths need none either.
 *
 * SUBTEST: errno-meaning
 * Description: One dynamic subtest per path: which allocation errnos
 *	mean "not on this device or kernel" (a skip, with its kernel range)
 *	and which mean the test is wrong (a fail): an EINVAL from the
 *	create ioctl fails, except amdgpu's DOORBELL domain before the
 *	user-queue series; ENOSPC skips; EACCES on the render node fails.
 *
 * SUBTEST: page-size-16k
 * Description: One dynamic subtest per path, with sysconf() answering a
 *	16 KiB page size: sizes and alignments are multiples of it and the
 *	whole buffer maps.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>
#include <amdgpu_drm.h>
#include <i915_drm.h>
#include <msm_drm.h>
#include <nouveau_drm.h>
#include <radeon_drm.h>
#include <vc4_drm.h>
#include <vmwgfx_drm.h>

#include "igt.h"
#include "igt_drm_dev.h"
#include "igt_mmap_path.h"
#include "igt_mmap_path_hw.h"
#include "igt_uapi_extra.h"
#include "fake_drm.h"

IGT_TEST_DESCRIPTION("Hardware mmap paths against a fake DRM device.");

#define RW (_IOC_READ | _IOC_WRITE)
#define W _IOC_WRITE
#define SZ_4K 4096ul
#define SZ_64K 65536ul
#define SZ_256K (256ul << 10)

/* an ioctl as the kernel's header defines it: number, direction, size */
struct kioctl {
	unsigned int nr;
	unsigned int dir;
	unsigned int size;
};

#define GEM_CLOSE ((struct kioctl){ 0x09, W, 8 })
#define NO_WHERE ((struct kioctl){ 0 })
#define AMDGPU_GEM_OP ((struct kioctl){ 0x50, RW, 16 })
#define RADEON_GEM_BUSY ((struct kioctl){ 0x6a, RW, 8 })

struct hw_case {
	const char *path;
	const char *driver;
	void (*setup)(struct fake_drm_state *st);
	struct kioctl alloc[6];		/* alloc()'s ioctls, in order */
	struct kioctl release;		/* release()'s one ioctl */
	struct kioctl where;		/* the placement query after alloc */
	bool own_map_fd;		/* maps a file of its own, not the fd */
	void (*check)(const struct fake_drm_state *st, const struct igt_bo *bo);
	/* EINVAL from the first ioctl (a query) means an older kernel
	 * without it, which has no device memory: alloc says ENODEV */
	bool first_einval_is_enodev;
};

static struct fake_drm_state *(*shim_state)(void);
static void (*shim_reset)(void);
static int (*shim_live)(void);
static struct fake_drm_state *st;

static const void *arg_in(int idx)
{
	igt_assert_lt(idx, st->ncalls);
	return st->calls[idx].in;
}

/* ---- per-path setups: the device on which the path applies ---- */

static void i915_integrated(struct fake_drm_state *s)
{
	s->i915_discrete = false;
	s->i915_aperture = true;
	s->i915_legacy_mmap = true;
	s->i915_mmap_gtt_version = 4;
}

static void i915_discrete(struct fake_drm_state *s)
{
	s->i915_discrete = true;
	s->i915_aperture = false;
	s->i915_legacy_mmap = false;
	s->i915_mmap_gtt_version = 4;
}

static void xe_dgfx(struct fake_drm_state *s)
{
	s->xe_vram = true;
	s->xe_min_page_size = SZ_64K;
}

static void vc4_pi3(struct fake_drm_state *s)
{
	s->vc4_3d = true;
}

/* ---- per-path field checks ---- */

static void check_i915_gtt(const struct fake_drm_state *s,
			   const struct igt_bo *bo)
{
	const struct drm_i915_gem_create *c = arg_in(0);
	const struct drm_i915_gem_mmap_gtt *m = arg_in(1);

	igt_assert_eq_u64(c->size, SZ_256K);
	igt_assert_eq_u32(m->handle, bo->handle);
}

static void check_offset(const struct igt_bo *bo, int idx, uint64_t flags)
{
	const struct drm_i915_gem_mmap_offset *m = arg_in(idx);

	igt_assert_eq_u32(m->handle, bo->handle);
	igt_assert_eq_u64(m->flags, flags);
	igt_assert_eq_u64(m->extensions, 0);
}

static void check_i915_wb(const struct fake_drm_state *s,
			  const struct igt_bo *bo)
{
	check_offset(bo, 1, I915_MMAP_OFFSET_WB);
}

static void check_i915_wc(const struct fake_drm_state *s,
			  const struct igt_bo *bo)
{
	check_offset(bo, 1, I915_MMAP_OFFSET_WC);
}

static void check_i915_uc(const struct fake_drm_state *s,
			  const struct igt_bo *bo)
{
	check_offset(bo, 1, I915_MMAP_OFFSET_UC);
}

static void check_i915_fixed(const struct fake_drm_state *s,
			     const struct igt_bo *bo)
{
	check_offset(bo, 1, I915_MMAP_OFFSET_FIXED);
}

static void check_i915_lmem(const struct fake_drm_state *s,
			    const struct igt_bo *bo)
{
	const struct drm_i915_query *q = arg_in(0);
	const struct drm_i915_gem_create_ext *c = arg_in(2);

	igt_assert_eq_u32(q->num_items, 1);
	igt_assert_eq_u32(c->flags, I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS);
	igt_assert(c->extensions);
	igt_assert_eq_u64(c->size, SZ_256K);
	check_offset(bo, 3, I915_MMAP_OFFSET_FIXED);
}

static void check_i915_legacy(const struct fake_drm_state *s,
			      const struct igt_bo *bo)
{
	const struct drm_i915_gem_mmap *m = arg_in(1);
	char link[64], target[256] = "";

	igt_assert_eq_u32(m->handle, bo->handle);
	igt_assert_eq_u64(m->size, bo->size);
	igt_assert_eq_u64(m->offset, 0);
	igt_assert_eq_u64(m->flags, 0);
	/* the shmem file the kernel mapped, reopened; its mapping dropped */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", bo->map_fd);
	igt_assert_lt(0, readlink(link, target, sizeof(target) - 1));
	igt_assert_f(strstr(target, "fake-i915-shmem"), "map fd is %s\n",
		     target);
	igt_assert_eq(msync((void *)(uintptr_t)
			    ((const struct drm_i915_gem_mmap *)
			     s->calls[1].out)->addr_ptr, SZ_4K, MS_ASYNC),
		      -1);
	igt_assert_eq(errno, ENOMEM);
}

static void check_xe(const struct igt_bo *bo, uint32_t placement,
		     uint16_t caching, uint32_t flags, uint64_t size)
{
	const struct drm_xe_device_query *q0 = arg_in(0);
	const struct drm_xe_device_query *q1 = arg_in(1);
	const struct drm_xe_gem_create *c = arg_in(2);
	const struct drm_xe_gem_mmap_offset *m = arg_in(3);

	igt_assert_eq_u32(q0->query, DRM_XE_DEVICE_QUERY_MEM_REGIONS);
	igt_assert_eq_u32(q0->size, 0);
	igt_assert_neq_u32(q1->size, 0);
	igt_assert(q1->data);
	igt_assert_eq_u32(c->placement, placement);
	igt_assert_eq_u32(c->cpu_caching, caching);
	igt_assert_eq_u32(c->flags, flags);
	igt_assert_eq_u32(c->vm_id, 0);
	igt_assert_eq_u64(c->size, size);
	igt_assert_eq_u32(m->handle, bo->handle);
	igt_assert_eq_u32(m->flags, 0);
}

static void check_xe_system(const struct fake_drm_state *s,
			    const struct igt_bo *bo)
{
	check_xe(bo, 1u << 0, DRM_XE_GEM_CPU_CACHING_WB, 0, SZ_256K);
}

static void check_xe_vram(const struct fake_drm_state *s,
			  const struct igt_bo *bo)
{
	check_xe(bo, 1u << 1, DRM_XE_GEM_CPU_CACHING_WC,
		 DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM, SZ_256K);
}

static void check_amdgpu(const struct igt_bo *bo, uint64_t domains,
			 uint64_t flags)
{
	const union drm_amdgpu_gem_create *c = arg_in(0);
	const union drm_amdgpu_gem_mmap *m = arg_in(1);

	igt_assert_eq_u64(c->in.bo_size, SZ_256K);
	igt_assert_eq_u64(c->in.domains, domains);
	igt_assert_eq_u64(c->in.domain_flags, flags);
	igt_assert_eq_u32(m->in.handle, bo->handle);
}

static void check_amdgpu_vram(const struct fake_drm_state *s,
			      const struct igt_bo *bo)
{
	check_amdgpu(bo, 0x4, AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED);
}

static void check_amdgpu_gtt(const struct fake_drm_state *s,
			     const struct igt_bo *bo)
{
	check_amdgpu(bo, 0x2, 0);
}

static void check_amdgpu_cpu(const struct fake_drm_state *s,
			     const struct igt_bo *bo)
{
	check_amdgpu(bo, 0x1, 0);
}

static void check_amdgpu_doorbell(const struct fake_drm_state *s,
				  const struct igt_bo *bo)
{
	check_amdgpu(bo, 0x40, 0);
}

static void check_radeon(const struct igt_bo *bo, uint32_t domain)
{
	const struct drm_radeon_gem_create *c = arg_in(0);
	const struct drm_radeon_gem_mmap *m = arg_in(1);

	igt_assert_eq_u32(c->initial_domain, domain);
	igt_assert_eq_u32(c->flags, 0);
	igt_assert_eq_u32(m->handle, bo->handle);
	igt_assert_eq_u64(m->size, bo->size);
}

static void check_radeon_vram(const struct fake_drm_state *s,
			      const struct igt_bo *bo)
{
	check_radeon(bo, 0x4);
}

static void check_radeon_gtt(const struct fake_drm_state *s,
			     const struct igt_bo *bo)
{
	check_radeon(bo, 0x2);
}

static void check_radeon_cpu(const struct fake_drm_state *s,
			     const struct igt_bo *bo)
{
	check_radeon(bo, 0x1);
}

static void check_nouveau(const struct igt_bo *bo, uint32_t domain)
{
	const struct drm_nouveau_gem_new *n = arg_in(0);
	const struct drm_nouveau_gem_new *out =
		(const void *)st->calls[0].out;

	igt_assert_eq_u32(n->info.domain, domain);
	igt_assert_eq_u64(n->info.size, SZ_256K);
	igt_assert_eq_u64(bo->map_offset, out->info.map_handle);
}

static void check_nouveau_vram(const struct fake_drm_state *s,
			       const struct igt_bo *bo)
{
	check_nouveau(bo, (1 << 1) | (1 << 3));	/* VRAM | MAPPABLE */
}

static void check_nouveau_gart(const struct fake_drm_state *s,
			       const struct igt_bo *bo)
{
	check_nouveau(bo, 1 << 2);
}

static void check_msm(const struct fake_drm_state *s, const struct igt_bo *bo)
{
	const struct drm_msm_gem_new *n = arg_in(0);
	const struct igt_msm_gem_info *i = arg_in(1);

	igt_assert_eq_u32(n->flags, 0x00020000);	/* MSM_BO_WC */
	igt_assert_eq_u32(i->handle, bo->handle);
	igt_assert_eq_u32(i->info, 0);			/* GET_OFFSET */
}

static void check_panfrost(const struct fake_drm_state *s,
			   const struct igt_bo *bo)
{
	const struct drm_panfrost_create_bo *c = arg_in(0);

	igt_assert_eq_u32(c->flags, 1);			/* NOEXEC */
	igt_assert_eq_u32(c->size, SZ_256K);
}

static void check_create_mmap(const struct fake_drm_state *s,
			      const struct igt_bo *bo)
{
	const uint32_t *c = arg_in(0);			/* size, flags */
	const struct drm_v3d_mmap_bo *m = arg_in(1);

	igt_assert_eq_u32(c[0], SZ_256K);
	igt_assert_eq_u32(c[1], 0);
	igt_assert_eq_u32(m->handle, bo->handle);
	igt_assert_eq_u32(m->flags, 0);
}

static void check_etnaviv(const struct fake_drm_state *s,
			  const struct igt_bo *bo)
{
	const struct drm_etnaviv_gem_new *n = arg_in(0);

	igt_assert_eq_u32(n->flags, 0x00020000);	/* ETNA_BO_WC */
	igt_assert_eq_u64(n->size, SZ_256K);
}

static void check_lima(const struct fake_drm_state *s,
		       const struct igt_bo *bo)
{
	const struct drm_lima_gem_create *c = arg_in(0);

	igt_assert_eq_u32(c->flags, 0);
	igt_assert_eq_u32(c->size, SZ_256K);
}

static void check_vmwgfx(const struct fake_drm_state *s,
			 const struct igt_bo *bo)
{
	const union drm_vmw_alloc_dmabuf_arg *a = arg_in(0);

	igt_assert_eq_u32(a->req.size, SZ_256K);
}

/*
 * Numbers and sizes from the kernel's include/uapi/drm headers (x86-64):
 * DRM_COMMAND_BASE (0x40) + the driver's number, sizeof its argument.
 */
static const struct hw_case cases[] = {
	{ "i915-gtt", "i915", i915_integrated,
	  { { 0x5b, RW, 16 }, { 0x64, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_i915_gtt },
	{ "i915-offset-wb", "i915", i915_integrated,
	  { { 0x5b, RW, 16 }, { 0x64, RW, 32 } }, GEM_CLOSE, NO_WHERE, false,
	  check_i915_wb },
	{ "i915-offset-wc", "i915", i915_integrated,
	  { { 0x5b, RW, 16 }, { 0x64, RW, 32 } }, GEM_CLOSE, NO_WHERE, false,
	  check_i915_wc },
	{ "i915-offset-uc", "i915", i915_integrated,
	  { { 0x5b, RW, 16 }, { 0x64, RW, 32 } }, GEM_CLOSE, NO_WHERE, false,
	  check_i915_uc },
	{ "i915-offset-fixed", "i915", i915_discrete,
	  { { 0x5b, RW, 16 }, { 0x64, RW, 32 } }, GEM_CLOSE, NO_WHERE, false,
	  check_i915_fixed },
	{ "i915-lmem-fixed", "i915", i915_discrete,
	  { { 0x79, RW, 16 }, { 0x79, RW, 16 }, { 0x7c, RW, 24 },
	    { 0x64, RW, 32 } }, GEM_CLOSE, NO_WHERE, false, check_i915_lmem, true },
	{ "i915-legacy-cpu", "i915", i915_integrated,
	  { { 0x5b, RW, 16 }, { 0x5e, RW, 40 } }, GEM_CLOSE, NO_WHERE, true,
	  check_i915_legacy },
	{ "xe-system", "xe", xe_dgfx,
	  { { 0x40, RW, 40 }, { 0x40, RW, 40 }, { 0x41, RW, 56 },
	    { 0x42, RW, 40 } }, GEM_CLOSE, NO_WHERE, false, check_xe_system },
	{ "xe-vram", "xe", xe_dgfx,
	  { { 0x40, RW, 40 }, { 0x40, RW, 40 }, { 0x41, RW, 56 },
	    { 0x42, RW, 40 } }, GEM_CLOSE, NO_WHERE, false, check_xe_vram },
	{ "amdgpu-vram", "amdgpu", NULL,
	  { { 0x40, RW, 32 }, { 0x41, RW, 8 } }, GEM_CLOSE, AMDGPU_GEM_OP,
	  false, check_amdgpu_vram },
	{ "amdgpu-gtt", "amdgpu", NULL,
	  { { 0x40, RW, 32 }, { 0x41, RW, 8 } }, GEM_CLOSE, AMDGPU_GEM_OP,
	  false, check_amdgpu_gtt },
	{ "amdgpu-cpu", "amdgpu", NULL,
	  { { 0x40, RW, 32 }, { 0x41, RW, 8 } }, GEM_CLOSE, AMDGPU_GEM_OP,
	  false, check_amdgpu_cpu },
	{ "amdgpu-doorbell", "amdgpu", NULL,
	  { { 0x40, RW, 32 }, { 0x41, RW, 8 } }, GEM_CLOSE, AMDGPU_GEM_OP,
	  false, check_amdgpu_doorbell },
	{ "radeon-vram", "radeon", NULL,
	  { { 0x5d, RW, 32 }, { 0x5e, RW, 32 } }, GEM_CLOSE, RADEON_GEM_BUSY,
	  false, check_radeon_vram },
	{ "radeon-gtt", "radeon", NULL,
	  { { 0x5d, RW, 32 }, { 0x5e, RW, 32 } }, GEM_CLOSE, RADEON_GEM_BUSY,
	  false, check_radeon_gtt },
	{ "radeon-cpu", "radeon", NULL,
	  { { 0x5d, RW, 32 }, { 0x5e, RW, 32 } }, GEM_CLOSE, RADEON_GEM_BUSY,
	  false, check_radeon_cpu },
	{ "nouveau-vram", "nouveau", NULL,
	  { { 0x80, RW, 48 } }, GEM_CLOSE, NO_WHERE, false, check_nouveau_vram },
	{ "nouveau-gart", "nouveau", NULL,
	  { { 0x80, RW, 48 } }, GEM_CLOSE, NO_WHERE, false, check_nouveau_gart },
	/* GEM_INFO: the kernel's 24 bytes, not libdrm 2.4.114's 16 */
	{ "msm-wc", "msm", NULL,
	  { { 0x42, RW, 16 }, { 0x43, RW, 24 } }, GEM_CLOSE, NO_WHERE, false,
	  check_msm },
	{ "panfrost-bo", "panfrost", NULL,
	  { { 0x42, RW, 24 }, { 0x43, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_panfrost },
	{ "v3d-bo", "v3d", NULL,
	  { { 0x42, RW, 16 }, { 0x43, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_create_mmap },
	{ "vc4-bo", "vc4", vc4_pi3,
	  { { 0x43, RW, 16 }, { 0x44, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_create_mmap },
	{ "etnaviv-wc", "etnaviv", NULL,
	  { { 0x42, RW, 16 }, { 0x43, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_etnaviv },
	{ "lima-bo", "lima", NULL,
	  { { 0x41, RW, 16 }, { 0x42, RW, 16 } }, GEM_CLOSE, NO_WHERE, false,
	  check_lima },
	{ "vmwgfx-bo", "vmwgfx", NULL,
	  { { 0x41, RW, 24 } }, { 0x42, W, 8 }, NO_WHERE, false, check_vmwgfx },
};

static int num_alloc_ioctls(const struct hw_case *c)
{
	int n = 0;

	while (n < (int)ARRAY_SIZE(c->alloc) && c->alloc[n].nr)
		n++;
	return n;
}

static void assert_ioctl(int idx, const struct kioctl *want)
{
	const struct fake_drm_call *call;

	igt_assert_f(idx < st->ncalls, "ioctl #%d missing (%d made)\n", idx,
		     st->ncalls);
	call = &st->calls[idx];
	igt_assert_f(_IOC_TYPE(call->req) == DRM_IOCTL_BASE &&
		     _IOC_NR(call->req) == want->nr &&
		     _IOC_DIR(call->req) == want->dir &&
		     _IOC_SIZE(call->req) == want->size,
		     "ioctl #%d is 0x%lx (nr 0x%x dir %u size %u), the kernel's is nr 0x%x dir %u size %u\n",
		     idx, call->req, (unsigned int)_IOC_NR(call->req),
		     (unsigned int)_IOC_DIR(call->req),
		     (unsigned int)_IOC_SIZE(call->req), want->nr, want->dir,
		     want->size);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	igt_assert(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* opens the fake node as DRIVER and describes it the way the test does */
static int open_fake(const char *driver, struct igt_drm_dev *dev)
{
	int fd;

	shim_reset();
	snprintf(st->driver, sizeof(st->driver), "%s", driver);
	fd = open(FAKE_DRM_NODE, O_RDWR | O_CLOEXEC);
	igt_assert_lte(0, fd);
	igt_assert_eq(igt_drm_dev_describe(fd, dev), 0);
	igt_assert_eq(strcmp(dev->driver, driver), 0);
	/* the render node is found from the primary one through sysfs */
	if (st->has_render) {
		igt_assert_lte(0, dev->render_fd);
		igt_assert_eq(dev->render_fd, st->render_fd);
		igt_assert_eq(strcmp(dev->render_node, "renderD128"), 0);
	} else {
		igt_assert_eq(dev->render_fd, -1);
	}
	return fd;
}

static void close_fake(int fd, struct igt_drm_dev *dev)
{
	igt_drm_dev_close(dev);
	close(fd);
	igt_assert_eq(st->fd, -1);
	igt_assert_eq(st->render_fd, -1);
}

/* the file the buffer ioctls of a path go to on this fake device */
static int buffer_fd(const struct igt_drm_dev *dev)
{
	return dev->render_fd >= 0 ? dev->render_fd : dev->fd;
}

static void default_knobs(struct fake_drm_state *s)
{
	s->has_render = true;
	s->authenticated = true;
	s->page_size = 0;
	i915_integrated(s);
	s->xe_vram = false;
	s->xe_min_page_size = SZ_64K;
	s->vc4_3d = true;
}

/* the device a case runs on, as the knobs after its own setup say */
struct knobs {
	bool no_render;
	bool unauthenticated;
	long page_size;
};

static int open_case(void (*setup)(struct fake_drm_state *s),
		     const char *driver, const struct knobs *k,
		     struct igt_drm_dev *dev)
{
	default_knobs(st);
	if (setup)
		setup(st);
	if (k) {
		st->has_render = !k->no_render;
		st->authenticated = !k->unauthenticated;
		st->page_size = k->page_size;
	}
	return open_fake(driver, dev);
}

static const struct igt_mmap_path *path_of(const struct hw_case *c)
{
	const struct igt_mmap_path *p = igt_mmap_path_by_name(c->path);

	igt_assert_f(p, "no path %s in igt_mmap_paths[]\n", c->path);
	return p;
}

static void run_sequence(const struct hw_case *c)
{
	const struct igt_mmap_path *path = path_of(c);
	int n = num_alloc_ioctls(c), fds, fd, before;
	struct igt_drm_dev dev;
	struct igt_bo_map map;
	uint32_t handle;
	struct igt_bo bo;
	const struct fake_drm_bo *fbo;

	fd = open_case(c->setup, c->driver, NULL, &dev);
	shim_reset();
	igt_assert(igt_mmap_path_applies(path, &dev));

	shim_reset();
	fds = count_fds();
	igt_assert_eq(igt_bo_alloc(path, &dev, SZ_256K, &bo), 0);
	igt_info("%s: %s\n", c->path, bo.desc);
	igt_assert_eq(st->ncalls, n + !!c->where.nr);
	for (int i = 0; i < n; i++) {
		assert_ioctl(i, &c->alloc[i]);
		igt_assert_f(st->calls[i].render == (dev.render_fd >= 0),
			     "ioctl #%d went to the %s node\n", i,
			     st->calls[i].render ? "render" : "primary");
	}
	if (c->where.nr) {
		/* the placement the kernel reports is in the description */
		assert_ioctl(n, &c->where);
		igt_assert_eq_u32(*(const uint32_t *)st->calls[n].in,
				  bo.handle);
		igt_assert_f(strstr(bo.desc, "kernel kept domains") ||
			     strstr(bo.desc, "now in domain"),
			     "no placement in \"%s\"\n", bo.desc);
	}
	c->check(st, &bo);

	/* the object exists, and the offset is the one handed out for it */
	fbo = &st->bos[bo.handle];
	igt_assert(bo.handle && fbo->live);
	igt_assert_lte_u64(SZ_256K, bo.size);
	igt_assert(bo.desc[0]);
	igt_assert_eq(bo.fd, buffer_fd(&dev));
	if (c->own_map_fd) {
		igt_assert_neq(bo.map_fd, bo.fd);
		igt_assert_eq(count_fds(), fds + 1);
	} else {
		igt_assert_eq(bo.map_fd, bo.fd);
		igt_assert_eq_u64(bo.map_offset, fbo->offset);
	}

	/* mapped 2 MiB aligned and shared, as gem_mmap_gup does */
	igt_assert_eq(igt_bo_mmap(&bo, 2u << 20, MAP_SHARED, &map), 0);
	igt_assert_eq((uintptr_t)map.ptr & ((2u << 20) - 1), 0);
	memset(map.ptr, 0xa5, map.len);
	igt_assert_eq(((unsigned char *)map.ptr)[map.len - 1], 0xa5);
	if (!c->own_map_fd) {
		igt_assert_eq(st->nmmaps, 1);
		igt_assert_eq_u32(st->mmaps[0].handle, bo.handle);
		igt_assert_eq(st->mmaps[0].flags & MAP_TYPE, MAP_SHARED);
	}
	igt_assert_eq(st->bad_mmaps, 0);
	igt_bo_munmap(&map);

	/* release: exactly one ioctl, on this handle */
	handle = bo.handle;
	before = st->ncalls;
	igt_bo_release(path, &bo);
	igt_assert_eq(st->ncalls, before + 1);
	assert_ioctl(before, &c->release);
	igt_assert_eq_u32(*(const uint32_t *)st->calls[before].in, handle);
	igt_assert_eq(shim_live(), 0);
	igt_assert_eq(st->bad_closes, 0);
	igt_assert_eq(count_fds(), fds);

	/* smallest buffer: sizes are rounded up, never down */
	shim_reset();
	igt_assert_eq(igt_bo_alloc(path, &dev, SZ_4K, &bo), 0);
	igt_assert_lte_u64(SZ_4K, bo.size);
	if (!strcmp(c->path, "xe-vram"))
		igt_assert_eq_u64(bo.size, SZ_64K);	/* min_page_size */
	igt_bo_release(path, &bo);
	igt_assert_eq(shim_live(), 0);

	close_fake(fd, &dev);
}

static void run_errors(const struct hw_case *c)
{
	static const int errs[] = { EINVAL, ENOSPC, ENODEV };
	const struct igt_mmap_path *path = path_of(c);
	int n = num_alloc_ioctls(c), fd;
	struct igt_drm_dev dev;

	fd = open_case(c->setup, c->driver, NULL, &dev);

	for (int i = 1; i <= n; i++) {
		for (size_t e = 0; e < ARRAY_SIZE(errs); e++) {
			int want = c->first_einval_is_enodev && i == 1 &&
				   errs[e] == EINVAL ? -ENODEV : -errs[e];
			struct igt_bo bo;
			int fds, r;

			shim_reset();
			st->fail_at = i;
			st->fail_errno = errs[e];
			fds = count_fds();
			r = igt_bo_alloc(path, &dev, SZ_256K, &bo);
			igt_debug("%s: ioctl %d fails with %s: alloc %d\n",
				  c->path, i, strerror(errs[e]), r);
			igt_assert_f(r == want,
				     "%s: ioctl %d failed with %s, alloc returned %d\n",
				     c->path, i, strerror(errs[e]), r);
			/* no further ioctl after the failure but the close */
			igt_assert(st->calls[i - 1].injected);
			for (int k = i; k < st->ncalls; k++)
				igt_assert_eq(_IOC_NR(st->calls[k].req),
					      c->release.nr);
			igt_assert_eq(bo.handle, 0);
			igt_assert_eq(shim_live(), 0);
			igt_assert_eq(st->bad_closes, 0);
			igt_assert_eq(count_fds(), fds);
		}
	}
	close_fake(fd, &dev);
}


/* ---- render node, DRM_AUTH, errno meaning, page size ---- */

static void check_render_node(const struct hw_case *c, bool render)
{
	const struct igt_mmap_path *path = path_of(c);
	struct igt_drm_dev dev;
	struct igt_bo_map map;
	struct igt_bo bo;
	int fd;

	fd = open_case(c->setup, c->driver,
		       &(struct knobs){ .no_render = !render }, &dev);
	shim_reset();
	igt_assert_eq(igt_bo_alloc(path, &dev, SZ_256K, &bo), 0);
	igt_assert_eq(bo.fd, render ? dev.render_fd : dev.fd);
	for (int i = 0; i < st->ncalls; i++)
		igt_assert_f(st->calls[i].render == render,
			     "%s: ioctl #%d on the %s node\n", c->path, i,
			     st->calls[i].render ? "render" : "primary");
	igt_assert_eq(igt_bo_mmap(&bo, 0, MAP_SHARED, &map), 0);
	igt_bo_munmap(&map);
	igt_bo_release(path, &bo);
	igt_assert_eq(shim_live(), 0);
	close_fake(fd, &dev);
}

static void check_drm_auth(const struct hw_case *c)
{
	const struct igt_mmap_path *path = path_of(c);
	bool auth = !strcmp(c->driver, "amdgpu") || !strcmp(c->driver, "radeon");
	struct igt_drm_dev dev;
	struct igt_bo bo;
	char why[512];
	int fd, r;

	/* a compositor is DRM master and there is no render node */
	fd = open_case(c->setup, c->driver,
		       &(struct knobs){ .no_render = true,
					.unauthenticated = true }, &dev);
	shim_reset();
	r = igt_bo_alloc(path, &dev, SZ_256K, &bo);
	igt_assert_eq(shim_live(), 0 + !r);
	if (!auth) {
		igt_assert_eq(r, 0);
		igt_bo_release(path, &bo);
	} else {
		igt_assert_eq(r, -EACCES);
		igt_assert(igt_bo_alloc_not_here(path, &bo, r, why,
						 sizeof(why)));
		igt_info("%s: %s\n", c->path, why);
		igt_assert_f(strstr(why, "DRM master") &&
			     strstr(why, "no render node"),
			     "%s: the skip does not name DRM master: %s\n",
			     c->path, why);
	}
	close_fake(fd, &dev);

	/* the same, but the device has a render node: no authentication */
	fd = open_case(c->setup, c->driver,
		       &(struct knobs){ .unauthenticated = true }, &dev);
	shim_reset();
	igt_assert_eq(igt_bo_alloc(path, &dev, SZ_256K, &bo), 0);
	igt_bo_release(path, &bo);
	igt_assert_eq(shim_live(), 0);
	close_fake(fd, &dev);
}

/* the create ioctl's place in alloc(): after i915-lmem's queries */
static int create_index(const struct hw_case *c)
{
	return !strcmp(c->path, "i915-lmem-fixed") ? 3 :
	       !strncmp(c->path, "xe-", 3) ? 3 : 1;
}

static bool inject(const struct hw_case *c, struct igt_drm_dev *dev,
		   int at, int err, char *why, size_t len)
{
	const struct igt_mmap_path *path = path_of(c);
	struct igt_bo bo;
	bool not_here;
	int r;

	shim_reset();
	st->fail_at = at;
	st->fail_errno = err;
	r = igt_bo_alloc(path, dev, SZ_256K, &bo);
	igt_assert_eq(r, -err);
	igt_assert(bo.failed_step);
	not_here = igt_bo_alloc_not_here(path, &bo, r, why, len);
	igt_debug("%s: %s at ioctl %d: %s: %s\n", c->path, strerror(err), at,
		  not_here ? "skip" : "fail", why);
	igt_assert_eq(shim_live(), 0);
	return not_here;
}

static void check_errno_meaning(const struct hw_case *c)
{
	bool doorbell = !strcmp(c->path, "amdgpu-doorbell");
	int create = create_index(c), n = num_alloc_ioctls(c), fd;
	struct igt_drm_dev dev;
	char why[512];

	fd = open_case(c->setup, c->driver, NULL, &dev);

	/* EINVAL from the create ioctl: the arguments are wrong... */
	igt_assert_eq(inject(c, &dev, create, EINVAL, why, sizeof(why)),
		      doorbell);
	igt_assert_f(strstr(why, doorbell ? "6.6" : "arguments are wrong"),
		     "%s: %s\n", c->path, why);
	/* ...and from every later ioctl too */
	for (int i = create + 1; i <= n; i++)
		igt_assert_f(!inject(c, &dev, i, EINVAL, why, sizeof(why)),
			     "%s: EINVAL from ioctl %d skips: %s\n", c->path,
			     i, why);
	/* no room: a property of the machine, not of the path */
	igt_assert(inject(c, &dev, create, ENOSPC, why, sizeof(why)));
	igt_assert(inject(c, &dev, create, ENOMEM, why, sizeof(why)));
	/* the render node refusing an ioctl means the row is wrong */
	igt_assert(!inject(c, &dev, create, EACCES, why, sizeof(why)));
	igt_assert_f(strstr(why, "IGT_MMAP_NODE_PRIMARY"), "%s\n", why);
	igt_assert(!inject(c, &dev, n, ENODEV, why, sizeof(why)));
	close_fake(fd, &dev);
}

static void check_page_size(const struct hw_case *c, long page)
{
	const struct igt_mmap_path *path = path_of(c);
	struct igt_drm_dev dev;
	struct igt_bo_map map;
	struct igt_bo bo;
	int fd;

	fd = open_case(c->setup, c->driver,
		       &(struct knobs){ .page_size = page }, &dev);
	igt_assert_eq(sysconf(_SC_PAGESIZE), page);
	for (size_t size = SZ_4K; size <= SZ_256K; size *= 4) {
		shim_reset();
		igt_assert_eq(igt_bo_alloc(path, &dev, size, &bo), 0);
		igt_info("%s, %zu KiB asked: %s\n", c->path, size >> 10,
			 bo.desc);
		igt_assert_f(bo.size >= size && bo.size % page == 0,
			     "%s: %zu bytes asked, %zu made\n", c->path, size,
			     bo.size);
		/* the kernel's object is as large as the buffer's size says */
		igt_assert_lte_u64(bo.size, st->bos[bo.handle].size);
		/* alignment arguments are the page size */
		if (!strncmp(c->path, "amdgpu-", 7))
			igt_assert_eq_u64(((const union drm_amdgpu_gem_create *)
					   arg_in(0))->in.alignment, page);
		if (!strncmp(c->path, "radeon-", 7))
			igt_assert_eq_u64(((const struct drm_radeon_gem_create *)
					   arg_in(0))->alignment, page);
		if (!strncmp(c->path, "nouveau-", 8))
			igt_assert_eq_u32(((const struct drm_nouveau_gem_new *)
					   arg_in(0))->align, page);
		igt_assert_eq(igt_bo_mmap(&bo, 2u << 20, MAP_SHARED, &map), 0);
		igt_assert_eq(st->bad_mmaps, 0);
		memset(map.ptr, 0x5a, map.len);
		igt_bo_munmap(&map);
		igt_bo_release(path, &bo);
		igt_assert_eq(shim_live(), 0);
	}
	close_fake(fd, &dev);
	st->page_size = 0;
}

struct applies_row {
	const char *driver;
	void (*setup)(struct fake_drm_state *st);
	const char *yes[8];	/* hardware paths that apply; all others don't */
};

static void i915_old_kernel(struct fake_drm_state *s)
{
	i915_integrated(s);
	s->i915_mmap_gtt_version = 3;	/* before MMAP_OFFSET (5.7) */
}

static void i915_gen12_5(struct fake_drm_state *s)
{
	i915_integrated(s);
	s->i915_aperture = false;	/* e.g. integrated Xe-LPG */
	s->i915_legacy_mmap = false;
}

static void xe_igfx(struct fake_drm_state *s)
{
	s->xe_vram = false;
}

static void vc4_pi4(struct fake_drm_state *s)
{
	s->vc4_3d = false;
}

static const struct applies_row applies_rows[] = {
	{ "i915", i915_integrated, { "i915-gtt", "i915-offset-wb",
	  "i915-offset-wc", "i915-offset-uc", "i915-legacy-cpu" } },
	{ "i915", i915_discrete, { "i915-offset-fixed", "i915-lmem-fixed" } },
	{ "i915", i915_old_kernel, { "i915-gtt", "i915-legacy-cpu" } },
	{ "i915", i915_gen12_5, { "i915-offset-wb", "i915-offset-wc",
	  "i915-offset-uc" } },
	{ "xe", xe_dgfx, { "xe-system", "xe-vram" } },
	{ "xe", xe_igfx, { "xe-system" } },
	{ "amdgpu", NULL, { "amdgpu-vram", "amdgpu-gtt", "amdgpu-cpu",
	  "amdgpu-doorbell" } },
	{ "radeon", NULL, { "radeon-vram", "radeon-gtt", "radeon-cpu" } },
	{ "nouveau", NULL, { "nouveau-vram", "nouveau-gart" } },
	{ "msm", NULL, { "msm-wc" } },
	{ "panfrost", NULL, { "panfrost-bo" } },
	{ "v3d", NULL, { "v3d-bo" } },
	{ "vc4", vc4_pi3, { "vc4-bo" } },
	{ "vc4", vc4_pi4, { } },
	{ "etnaviv", NULL, { "etnaviv-wc" } },
	{ "lima", NULL, { "lima-bo" } },
	{ "vmwgfx", NULL, { "vmwgfx-bo" } },
	/* a driver with none of them: no hardware path may even ask */
	{ "virtio_gpu", NULL, { } },
	{ "panthor", NULL, { } },
};

/* the hardware rows of igt_mmap_paths[] */
static const char *hw_names[64];
static size_t num_hw_names;

static void collect_hw_names(void)
{
	num_hw_names = 0;
	for (unsigned int i = 0; i < igt_mmap_num_paths; i++)
		if (igt_mmap_paths[i].hardware) {
			igt_assert_lt(num_hw_names, ARRAY_SIZE(hw_names));
			hw_names[num_hw_names++] = igt_mmap_paths[i].name;
		}
}

static bool in_list(const char *const *list, size_t len, const char *name)
{
	for (size_t i = 0; i < len && list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static void check_applies(const struct applies_row *row)
{
	struct igt_drm_dev dev;
	int fd;

	fd = open_case(row->setup, row->driver, NULL, &dev);
	for (size_t i = 0; i < num_hw_names; i++) {
		const struct igt_mmap_path *p = igt_mmap_path_by_name(hw_names[i]);
		bool want = in_list(row->yes, ARRAY_SIZE(row->yes), hw_names[i]);
		bool own = !strncmp(hw_names[i], row->driver,
				    strlen(row->driver)) &&
			   hw_names[i][strlen(row->driver)] == '-';
		bool got;

		shim_reset();
		got = igt_mmap_path_applies(p, &dev);
		igt_assert_f(got == want, "%s on %s: applies() says %s\n",
			     hw_names[i], row->driver, got ? "yes" : "no");
		/* another driver's path must not send this device ioctls */
		if (!own)
			igt_assert_f(!st->ncalls,
				     "%s sent %d ioctls to a %s device\n",
				     hw_names[i], st->ncalls, row->driver);
		igt_assert_eq(shim_live(), 0);

		/* a failing capability query means "no", never a crash */
		for (int k = 1; own && k <= 2; k++) {
			shim_reset();
			st->fail_at = k;
			st->fail_errno = EIO;
			igt_mmap_path_applies(p, &dev);
			igt_assert_eq(shim_live(), 0);
		}
	}
	close_fake(fd, &dev);
}

static void check_table(void)
{
	for (size_t i = 0; i < num_hw_names; i++) {
		const struct igt_mmap_path *p = igt_mmap_path_by_name(hw_names[i]);
		const char *s;
		size_t len;
		bool found = false;

		igt_assert_f(p, "%s is not in igt_mmap_paths[]\n", hw_names[i]);
		for (size_t k = 0; k < ARRAY_SIZE(cases); k++)
			found |= !strcmp(cases[k].path, p->name);
		igt_assert_f(found, "no unit test case for %s\n", p->name);

		/* lower-case-with-dashes, prefixed with a driver name */
		for (s = p->name; *s; s++)
			igt_assert_f((*s >= 'a' && *s <= 'z') ||
				     (*s >= '0' && *s <= '9') || *s == '-',
				     "bad path name %s\n", p->name);
		igt_assert(strchr(p->name, '-'));

		/* "Map %ss", "Fault in a %s", "Map a %s" must read right */
		s = p->summary;
		len = strlen(s);
		igt_assert_f(!strchr("aeiouAEIOU", s[0]) ||
			     !strncmp(s, "UC", 2),
			     "%s: summary \"%s\" needs \"an\"\n", p->name, s);
		igt_assert_f(len > 7 && !strcmp(s + len - 6, "buffer"),
			     "%s: summary \"%s\" must end in \"buffer\"\n",
			     p->name, s);
		igt_assert(p->uapi && p->uapi[0]);
		igt_assert(p->owner_why && p->owner_why[0]);
		/* only the legacy CPU mmap is core-mm by design */
		igt_assert_eq(p->owner == IGT_MMAP_OWNER_CORE_MM,
			      !strcmp(p->name, "i915-legacy-cpu"));
	}
	for (size_t k = 0; k < ARRAY_SIZE(cases); k++)
		path_of(&cases[k]);
}

/*
 * docs/hardware.md keeps one status row per hardware path: "never run on
 * hardware" until a run is recorded. HWPATHS_DOC names the file (meson
 * sets it).
 */
static void check_doc(void)
{
	const char *doc = getenv("HWPATHS_DOC");
	static char text[1 << 16];
	ssize_t n;
	int fd;

	igt_require_f(doc, "HWPATHS_DOC is not set (meson test sets it)\n");
	fd = open(doc, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "%s: %s\n", doc, strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	igt_assert_lt(0, n);
	text[n] = '\0';
	for (size_t i = 0; i < num_hw_names; i++) {
		char row[96];
		const char *line;

		snprintf(row, sizeof(row), "| `%s` | ", hw_names[i]);
		line = strstr(text, row);
		igt_assert_f(line, "%s has no status row in %s\n", hw_names[i],
			     doc);
		line += strlen(row);
		igt_assert_f(!strncmp(line, "never run on hardware |", 23) ||
			     !strncmp(line, "run:", 4),
			     "%s: status row in %s says neither \"never run on hardware\" nor \"run: ...\"\n",
			     hw_names[i], doc);
	}
}

static void check_page_size_16k(const struct hw_case *c)
{
	check_page_size(c, 16384);
}

/* the subtests with one dynamic subtest per path */
static const struct {
	const char *name;
	const char *what;
	void (*fn)(const struct hw_case *c);
} per_path[] = {
	{ "sequence", "Each path's ioctl sequence, sizes, fields, mapping and "
	  "release.", run_sequence },
	{ "errors", "Each of alloc's ioctls fails in turn: alloc fails with "
	  "that error and leaves nothing behind.", run_errors },
	{ "errno-meaning", "Which allocation errnos skip (not on this device "
	  "or kernel) and which fail (the test is wrong).",
	  check_errno_meaning },
	{ "page-size-16k", "Sizes and alignments follow a 16 KiB page size.",
	  check_page_size_16k },
};

igt_main
{
	igt_fixture {
		shim_state = dlsym(RTLD_DEFAULT, "fake_drm_state");
		shim_reset = dlsym(RTLD_DEFAULT, "fake_drm_reset");
		shim_live = dlsym(RTLD_DEFAULT, "fake_drm_live_objects");
		igt_require_f(shim_state && shim_reset && shim_live,
			      "fake_drm.so is not preloaded (LD_PRELOAD)\n");
		st = shim_state();
		collect_hw_names();
	}

	igt_describe("Every hardware path has a case, a well-formed name and "
		     "a summary that reads right.");
	igt_subtest("table")
		check_table();

	igt_describe("docs/hardware.md has a status row per hardware path.");
	igt_subtest("doc-status")
		check_doc();

	igt_describe("applies() follows the driver and its capabilities.");
	igt_subtest("applies")
		for (size_t i = 0; i < ARRAY_SIZE(applies_rows); i++)
			check_applies(&applies_rows[i]);

	for (size_t k = 0; k < ARRAY_SIZE(per_path); k++) {
		igt_describe(per_path[k].what);
		igt_subtest_with_dynamic(per_path[k].name)
			for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
				igt_dynamic(cases[i].path)
					per_path[k].fn(&cases[i]);
	}

	igt_describe("The render node is found through sysfs and used for "
		     "every path; the primary node only without one.");
	igt_subtest("render-node")
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			check_render_node(&cases[i], true);
			check_render_node(&cases[i], false);
		}

	igt_describe("An unauthenticated primary node refuses amdgpu's and "
		     "radeon's DRM_AUTH ioctls: a skip naming DRM master.");
	igt_subtest("drm-auth")
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			check_drm_auth(&cases[i]);
}
