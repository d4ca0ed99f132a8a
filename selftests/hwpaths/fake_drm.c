// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD shim: a fake DRM device node for the hardware paths' unit
 * tests. open() of FAKE_DRM_NODE gives a memfd standing in for the
 * device; the shim answers ioctl() and mmap() on it the way the named
 * driver's uAPI does (handles, fake offsets, the errors its kernel code
 * returns for the probes lib/igt_mmap_path_hw.c makes), records every
 * call, and fails the n-th ioctl on request. Everything else goes
 * straight to the kernel with syscall(), so the shim never recurses.
 *
 * Ioctls are dispatched on their number only, never on the encoded size:
 * a path that passes a wrongly sized structure still reaches its handler
 * and the test, which compares sizes against the kernel's, catches it.
 */

/*
 * The build asks for 64-bit off_t, which renames open/mmap to their *64
 * symbols in the headers; this file defines both names itself.
 */
#undef _FILE_OFFSET_BITS

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <drm.h>
#include <amdgpu_drm.h>
#include <i915_drm.h>
#include <msm_drm.h>
#include <nouveau_drm.h>
#include <radeon_drm.h>
#include <vc4_drm.h>
#include <vmwgfx_drm.h>

#include "igt_uapi_extra.h"
#include "fake_drm.h"

#define EXPORT __attribute__((visibility("default")))
#define OFFSET_SHIFT 24		/* fake offsets: handle << 24 */

static struct fake_drm_state st = {
	.driver = "i915",
	.fd = -1,
	.render_fd = -1,
	.has_render = true,
	.authenticated = true,
	.i915_aperture = true,
	.i915_legacy_mmap = true,
	.i915_mmap_gtt_version = 4,
	.xe_vram = true,
	.xe_min_page_size = 65536,
	.vc4_3d = true,
};

EXPORT struct fake_drm_state *fake_drm_state(void)
{
	return &st;
}

EXPORT void fake_drm_reset(void)
{
	st.fail_at = 0;
	st.fail_errno = 0;
	st.ncalls = 0;
	st.nmmaps = 0;
	st.bad_mmaps = 0;
	st.bad_closes = 0;
	memset(st.bos, 0, sizeof(st.bos));
}

EXPORT int fake_drm_live_objects(void)
{
	int n = 0;

	for (int i = 0; i < FAKE_DRM_MAX_HANDLES; i++)
		n += st.bos[i].live;
	return n;
}

static bool driver_is(const char *name)
{
	return !strcmp(st.driver, name);
}

static uint64_t page_size(void)
{
	return st.page_size ? (uint64_t)st.page_size : 4096;
}

static uint64_t page_round(uint64_t size)
{
	return (size + page_size() - 1) & ~(page_size() - 1);
}

/* a new object: its handle, or 0 when the table is full */
static uint32_t bo_new(uint64_t size, unsigned long req)
{
	for (uint32_t h = 1; h < FAKE_DRM_MAX_HANDLES; h++) {
		struct fake_drm_bo *bo = &st.bos[h];

		if (bo->live || bo->size)
			continue;	/* handles are not reused in a test */
		bo->live = true;
		bo->size = page_round(size);
		bo->offset = (uint64_t)h << OFFSET_SHIFT;
		bo->create_req_nr = _IOC_NR(req);
		return h;
	}
	return 0;
}

static struct fake_drm_bo *bo_get(uint32_t handle)
{
	if (!handle || handle >= FAKE_DRM_MAX_HANDLES || !st.bos[handle].live)
		return NULL;
	return &st.bos[handle];
}

static int bo_close(uint32_t handle)
{
	struct fake_drm_bo *bo = bo_get(handle);

	if (!bo) {
		st.bad_closes++;
		return -EINVAL;
	}
	bo->live = false;
	return 0;
}

/* DRM_IOCTL_VERSION's convention: copy what fits, report the full length */
static void copy_str(char *buf, __kernel_size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (buf && *len)
		memcpy(buf, s, n < *len ? n : *len);
	*len = n;
}

static int core_ioctl(unsigned int nr, void *arg)
{
	switch (nr) {
	case _IOC_NR(DRM_IOCTL_VERSION): {
		/* every string non-empty: libdrm strdup()s all three */
		static const char date[] = "20260101", desc[] = "fake DRM";
		struct drm_version *v = arg;

		copy_str(v->name, &v->name_len, st.driver);
		copy_str(v->date, &v->date_len, date);
		copy_str(v->desc, &v->desc_len, desc);
		v->version_major = 1;
		v->version_minor = 0;
		v->version_patchlevel = 0;
		return 0;
	}
	case _IOC_NR(DRM_IOCTL_GET_CAP): {
		struct drm_get_cap *c = arg;

		/* no dumb buffers, no PRIME; vc4's 3D driver has syncobjs */
		c->value = c->capability == DRM_CAP_SYNCOBJ &&
			   driver_is("vc4") && st.vc4_3d;
		return 0;
	}
	case _IOC_NR(DRM_IOCTL_GEM_CLOSE):
		return bo_close(((struct drm_gem_close *)arg)->handle);
	default:
		return -EINVAL;
	}
}

/* ---- i915 ---- */

static int i915_query(struct drm_i915_query *q)
{
	struct drm_i915_query_item *items = (void *)(uintptr_t)q->items_ptr;

	if (q->flags)
		return -EINVAL;
	for (unsigned int i = 0; i < q->num_items; i++) {
		struct drm_i915_query_item *item = &items[i];
		unsigned int n = st.i915_discrete ? 2 : 1;
		int32_t need = sizeof(struct drm_i915_query_memory_regions) +
			n * sizeof(struct drm_i915_memory_region_info);
		struct drm_i915_query_memory_regions *r;

		if (item->query_id != DRM_I915_QUERY_MEMORY_REGIONS) {
			item->length = -EINVAL;
			continue;
		}
		if (!item->length) {
			item->length = need;
			continue;
		}
		if (item->length < need) {
			item->length = -EINVAL;
			continue;
		}
		r = (void *)(uintptr_t)item->data_ptr;
		memset(r, 0, need);
		r->num_regions = n;
		r->regions[0].region.memory_class = I915_MEMORY_CLASS_SYSTEM;
		r->regions[0].probed_size = 8ull << 30;
		if (st.i915_discrete) {
			r->regions[1].region.memory_class =
				I915_MEMORY_CLASS_DEVICE;
			r->regions[1].region.memory_instance = 0;
			r->regions[1].probed_size = 4ull << 30;
		}
		item->length = need;
	}
	return 0;
}

/* what i915_gem_mmap_offset_ioctl() and __assign_mmap_offset() check */
static int i915_mmap_offset(void *arg, unsigned int size)
{
	struct drm_i915_gem_mmap_offset m = {};
	struct fake_drm_bo *bo;

	/* MMAP_GTT is the same number with a 16-byte struct: flags = GTT */
	memcpy(&m, arg, size < sizeof(m) ? size : sizeof(m));
	if (m.extensions)
		return -EINVAL;
	switch (m.flags) {
	case I915_MMAP_OFFSET_GTT:
		if (!st.i915_aperture)
			return -ENODEV;
		break;
	case I915_MMAP_OFFSET_WC:
	case I915_MMAP_OFFSET_WB:
	case I915_MMAP_OFFSET_UC:
	case I915_MMAP_OFFSET_FIXED:
		break;
	default:
		return -EINVAL;
	}
	bo = bo_get(m.handle);
	if (!bo)
		return -ENOENT;
	/* TTM objects (discrete) take FIXED only; shmem ones never FIXED */
	if (st.i915_discrete != (m.flags == I915_MMAP_OFFSET_FIXED) &&
	    m.flags != I915_MMAP_OFFSET_GTT)
		return -ENODEV;
	((struct drm_i915_gem_mmap_offset *)arg)->offset = bo->offset;
	return 0;
}

/* the kernel's vm_mmap() of the object's shmem file */
static int i915_gem_mmap(struct drm_i915_gem_mmap *m)
{
	struct fake_drm_bo *bo;
	long addr;
	int fd;

	if (!st.i915_legacy_mmap)
		return -EOPNOTSUPP;
	if (m->flags & ~I915_MMAP_WC)
		return -EINVAL;
	bo = bo_get(m->handle);
	if (!bo)
		return -ENOENT;
	if (m->offset + m->size > bo->size || !m->size)
		return -EINVAL;
	fd = syscall(SYS_memfd_create, "fake-i915-shmem", 0);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, bo->size)) {
		int err = errno;

		syscall(SYS_close, fd);
		return -err;
	}
	addr = syscall(SYS_mmap, NULL, m->size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, m->offset);
	syscall(SYS_close, fd);
	if (addr == -1)
		return -errno;
	m->addr_ptr = addr;
	return 0;
}

static int i915_create_ext(struct drm_i915_gem_create_ext *c, unsigned long req)
{
	struct drm_i915_gem_create_ext_memory_regions *ext =
		(void *)(uintptr_t)c->extensions;
	struct drm_i915_gem_memory_class_instance *regions;
	bool device = false, system = false;

	if (!ext || ext->base.name != I915_GEM_CREATE_EXT_MEMORY_REGIONS ||
	    ext->base.next_extension || !ext->num_regions)
		return -EINVAL;
	regions = (void *)(uintptr_t)ext->regions;
	for (unsigned int i = 0; i < ext->num_regions; i++) {
		if (regions[i].memory_class == I915_MEMORY_CLASS_DEVICE) {
			if (!st.i915_discrete || regions[i].memory_instance)
				return -EINVAL;
			device = true;
		} else if (regions[i].memory_class == I915_MEMORY_CLASS_SYSTEM) {
			system = true;
		} else {
			return -EINVAL;
		}
	}
	/* NEEDS_CPU_ACCESS needs system memory to spill into */
	if (c->flags & I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS &&
	    !(device && system))
		return -EINVAL;
	c->size = page_round(c->size);
	c->handle = bo_new(c->size, req);
	return c->handle ? 0 : -ENOSPC;
}

static int i915_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_I915_GETPARAM: {
		drm_i915_getparam_t *gp = arg;

		if (gp->param != I915_PARAM_MMAP_GTT_VERSION ||
		    !st.i915_mmap_gtt_version)
			return -EINVAL;
		*gp->value = st.i915_mmap_gtt_version;
		return 0;
	}
	case DRM_I915_QUERY:
		return i915_query(arg);
	case DRM_I915_GEM_CREATE: {
		struct drm_i915_gem_create *c = arg;

		if (!c->size)
			return -EINVAL;
		c->size = page_round(c->size);
		c->handle = bo_new(c->size, req);
		return c->handle ? 0 : -ENOSPC;
	}
	case DRM_I915_GEM_CREATE_EXT:
		return i915_create_ext(arg, req);
	case DRM_I915_GEM_MMAP_GTT:	/* == MMAP_OFFSET */
		return i915_mmap_offset(arg, _IOC_SIZE(req));
	case DRM_I915_GEM_MMAP:
		return i915_gem_mmap(arg);
	default:
		return -EINVAL;
	}
}

/* ---- xe ---- */

static int xe_query(struct drm_xe_device_query *q)
{
	unsigned int n = st.xe_vram ? 2 : 1;
	uint32_t need = sizeof(struct drm_xe_query_mem_regions) +
			n * sizeof(struct drm_xe_mem_region);
	struct drm_xe_query_mem_regions *r;

	if (q->extensions || q->query != DRM_XE_DEVICE_QUERY_MEM_REGIONS)
		return -EINVAL;
	if (!q->size) {
		q->size = need;
		return 0;
	}
	if (q->size != need)
		return -EINVAL;
	r = (void *)(uintptr_t)q->data;
	memset(r, 0, need);
	r->num_mem_regions = n;
	r->mem_regions[0].mem_class = DRM_XE_MEM_REGION_CLASS_SYSMEM;
	r->mem_regions[0].instance = 0;
	r->mem_regions[0].min_page_size = 4096;
	if (st.xe_vram) {
		r->mem_regions[1].mem_class = DRM_XE_MEM_REGION_CLASS_VRAM;
		r->mem_regions[1].instance = 1;
		r->mem_regions[1].min_page_size = st.xe_min_page_size;
		r->mem_regions[1].cpu_visible_size = 256ull << 20;
	}
	return 0;
}

/* the checks xe_gem_create_ioctl() makes that a user could get wrong */
static int xe_create(struct drm_xe_gem_create *c, unsigned long req)
{
	uint32_t known = st.xe_vram ? 0x3 : 0x1;
	bool vram = c->placement & 0x2;

	if (c->extensions || c->vm_id || c->pad[0] || c->pad[1] || c->pad[2] ||
	    c->reserved[0] || c->reserved[1])
		return -EINVAL;
	if (!c->placement || c->placement & ~known)
		return -EINVAL;
	if (c->cpu_caching != DRM_XE_GEM_CPU_CACHING_WB &&
	    c->cpu_caching != DRM_XE_GEM_CPU_CACHING_WC)
		return -EINVAL;
	if (vram && c->cpu_caching == DRM_XE_GEM_CPU_CACHING_WB)
		return -EINVAL;
	if (c->flags & DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM && !vram)
		return -EINVAL;
	if (!c->size || c->size % (vram ? st.xe_min_page_size : 4096))
		return -EINVAL;
	c->handle = bo_new(c->size, req);
	return c->handle ? 0 : -ENOSPC;
}

static int xe_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_XE_DEVICE_QUERY:
		return xe_query(arg);
	case DRM_XE_GEM_CREATE:
		return xe_create(arg, req);
	case DRM_XE_GEM_MMAP_OFFSET: {
		struct drm_xe_gem_mmap_offset *m = arg;
		struct fake_drm_bo *bo;

		if (m->extensions || m->flags)
			return -EINVAL;
		bo = bo_get(m->handle);
		if (!bo)
			return -ENOENT;
		m->offset = bo->offset;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* ---- amdgpu, radeon, nouveau ---- */

static int amdgpu_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_AMDGPU_GEM_CREATE: {
		union drm_amdgpu_gem_create *c = arg;
		uint64_t mask = AMDGPU_GEM_DOMAIN_CPU | AMDGPU_GEM_DOMAIN_GTT |
				AMDGPU_GEM_DOMAIN_VRAM |
				AMDGPU_GEM_DOMAIN_DOORBELL;
		uint64_t size = c->in.bo_size;

		if (!c->in.domains || c->in.domains & ~mask || !size)
			return -EINVAL;
		{
			uint64_t domains = c->in.domains;
			uint64_t flags = c->in.domain_flags;

			memset(&c->out, 0, sizeof(c->out));
			c->out.handle = bo_new(size, req);
			if (!c->out.handle)
				return -ENOSPC;
			st.bos[c->out.handle].domains = domains;
			st.bos[c->out.handle].flags = flags;
		}
		return 0;
	}
	case DRM_AMDGPU_GEM_OP: {
		struct drm_amdgpu_gem_op *op = arg;
		struct fake_drm_bo *bo = bo_get(op->handle);
		struct drm_amdgpu_gem_create_in *info =
			(void *)(uintptr_t)op->value;

		if (!bo)
			return -ENOENT;
		if (op->op != AMDGPU_GEM_OP_GET_GEM_CREATE_INFO)
			return -EINVAL;
		memset(info, 0, sizeof(*info));
		info->bo_size = bo->size;
		info->domains = bo->domains;
		info->domain_flags = bo->flags;
		return 0;
	}
	case DRM_AMDGPU_GEM_MMAP: {
		union drm_amdgpu_gem_mmap *m = arg;
		struct fake_drm_bo *bo = bo_get(m->in.handle);

		if (!bo)
			return -ENOENT;
		m->out.addr_ptr = bo->offset;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int radeon_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_RADEON_GEM_CREATE: {
		struct drm_radeon_gem_create *c = arg;
		uint32_t mask = RADEON_GEM_DOMAIN_CPU | RADEON_GEM_DOMAIN_GTT |
				RADEON_GEM_DOMAIN_VRAM;

		if (!c->initial_domain || c->initial_domain & ~mask || !c->size)
			return -EINVAL;
		c->size = page_round(c->size);
		c->handle = bo_new(c->size, req);
		if (!c->handle)
			return -ENOSPC;
		st.bos[c->handle].domains = c->initial_domain;
		return 0;
	}
	case DRM_RADEON_GEM_BUSY: {
		struct drm_radeon_gem_busy *b = arg;
		struct fake_drm_bo *bo = bo_get(b->handle);

		if (!bo)
			return -ENOENT;
		b->domain = bo->domains;
		return 0;
	}
	case DRM_RADEON_GEM_MMAP: {
		struct drm_radeon_gem_mmap *m = arg;
		struct fake_drm_bo *bo = bo_get(m->handle);

		if (!bo)
			return -ENOENT;
		m->addr_ptr = bo->offset;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int nouveau_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	struct drm_nouveau_gem_new *n = arg;

	if (nr != DRM_NOUVEAU_GEM_NEW)
		return -EINVAL;
	if (!(n->info.domain & (NOUVEAU_GEM_DOMAIN_VRAM |
				NOUVEAU_GEM_DOMAIN_GART)) || !n->info.size)
		return -EINVAL;
	n->info.size = page_round(n->info.size);
	n->info.handle = bo_new(n->info.size, req);
	if (!n->info.handle)
		return -ENOSPC;
	n->info.map_handle = st.bos[n->info.handle].offset;
	n->info.offset = 0x100000ull * n->info.handle;	/* GPU VA */
	return 0;
}

/* ---- msm, panfrost, v3d, vc4, etnaviv, lima ---- */

static int msm_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_MSM_GEM_NEW: {
		struct drm_msm_gem_new *n = arg;
		uint32_t cache = n->flags & (MSM_BO_CACHED | MSM_BO_WC |
					     MSM_BO_UNCACHED);

		/* exactly one caching mode */
		if (!n->size || !cache || cache & (cache - 1))
			return -EINVAL;
		n->handle = bo_new(n->size, req);
		return n->handle ? 0 : -ENOSPC;
	}
	case DRM_MSM_GEM_INFO: {
		/* the kernel's layout; a short (libdrm) one reads pad as 0 */
		struct igt_msm_gem_info i = {};
		struct fake_drm_bo *bo;

		memcpy(&i, arg, _IOC_SIZE(req) < sizeof(i) ? _IOC_SIZE(req) :
		       sizeof(i));
		bo = bo_get(i.handle);
		if (!bo)
			return -ENOENT;
		if (i.info != IGT_MSM_INFO_GET_OFFSET || i.pad)
			return -EINVAL;	/* only GET_OFFSET is answered here */
		i.value = bo->offset;
		memcpy(arg, &i, _IOC_SIZE(req) < sizeof(i) ? _IOC_SIZE(req) :
		       sizeof(i));
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* panfrost, v3d and vc4 share the CREATE_BO/MMAP_BO shape */
static int create_mmap_bo(unsigned long req, unsigned int nr,
			  unsigned int create_nr, unsigned int mmap_nr,
			  void *arg)
{
	if (nr == create_nr) {
		uint32_t *c = arg;	/* size, flags, handle, ... */

		if (!c[0])
			return -EINVAL;
		c[2] = bo_new(c[0], req);
		return c[2] ? 0 : -ENOSPC;
	}
	if (nr == mmap_nr) {
		struct drm_v3d_mmap_bo *m = arg;	/* same in all three */
		struct fake_drm_bo *bo;

		if (m->flags)
			return -EINVAL;
		bo = bo_get(m->handle);
		if (!bo)
			return -ENOENT;
		m->offset = bo->offset;
		return 0;
	}
	return -EINVAL;
}

static int panfrost_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	if (nr == DRM_PANFROST_CREATE_BO) {
		struct drm_panfrost_create_bo *c = arg;

		if (c->flags & ~(PANFROST_BO_NOEXEC | PANFROST_BO_HEAP) ||
		    c->pad)
			return -EINVAL;
		/* heap objects must also be NOEXEC */
		if (c->flags & PANFROST_BO_HEAP &&
		    !(c->flags & PANFROST_BO_NOEXEC))
			return -EINVAL;
	}
	return create_mmap_bo(req, nr, DRM_PANFROST_CREATE_BO,
			      DRM_PANFROST_MMAP_BO, arg);
}

static int v3d_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	if (nr == DRM_V3D_CREATE_BO && ((struct drm_v3d_create_bo *)arg)->flags)
		return -EINVAL;
	return create_mmap_bo(req, nr, DRM_V3D_CREATE_BO, DRM_V3D_MMAP_BO,
			      arg);
}

static int vc4_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	/*
	 * A Pi 4 and later: vc4 does display only, with a drm_driver that
	 * registers no ioctls (vc5_drm_driver), so drm_ioctl() answers
	 * EINVAL for every driver ioctl number.
	 */
	if (!st.vc4_3d)
		return -EINVAL;
	if (nr == DRM_VC4_GET_PARAM) {
		struct drm_vc4_get_param *p = arg;

		if (p->pad || p->param != DRM_VC4_PARAM_SUPPORTS_BRANCHES)
			return -EINVAL;
		p->value = 1;
		return 0;
	}
	if (nr == DRM_VC4_CREATE_BO && ((struct drm_vc4_create_bo *)arg)->flags)
		return -EINVAL;
	return create_mmap_bo(req, nr, DRM_VC4_CREATE_BO, DRM_VC4_MMAP_BO,
			      arg);
}

static int etnaviv_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_ETNAVIV_GEM_NEW: {
		struct drm_etnaviv_gem_new *n = arg;
		uint32_t cache = n->flags & (ETNA_BO_CACHED | ETNA_BO_WC |
					     ETNA_BO_UNCACHED);

		if (!n->size || !cache || cache & (cache - 1))
			return -EINVAL;
		n->handle = bo_new(n->size, req);
		return n->handle ? 0 : -ENOSPC;
	}
	case DRM_ETNAVIV_GEM_INFO: {
		struct drm_etnaviv_gem_info *i = arg;
		struct fake_drm_bo *bo = bo_get(i->handle);

		if (i->pad)
			return -EINVAL;
		if (!bo)
			return -ENOENT;
		i->offset = bo->offset;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int lima_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_LIMA_GEM_CREATE: {
		struct drm_lima_gem_create *c = arg;

		if (!c->size || c->pad || c->flags & ~LIMA_BO_FLAG_HEAP)
			return -EINVAL;
		c->handle = bo_new(c->size, req);
		return c->handle ? 0 : -ENOSPC;
	}
	case DRM_LIMA_GEM_INFO: {
		struct drm_lima_gem_info *i = arg;
		struct fake_drm_bo *bo = bo_get(i->handle);

		if (!bo)
			return -ENOENT;
		i->va = 0x10000 * i->handle;
		i->offset = bo->offset;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* ---- vmwgfx ---- */

static int vmwgfx_ioctl(unsigned long req, unsigned int nr, void *arg)
{
	switch (nr) {
	case DRM_VMW_ALLOC_DMABUF: {
		union drm_vmw_alloc_dmabuf_arg *a = arg;
		uint32_t size = a->req.size, h;

		if (!size)
			return -EINVAL;
		h = bo_new(size, req);
		if (!h)
			return -ENOSPC;
		memset(&a->rep, 0, sizeof(a->rep));
		a->rep.handle = h;
		a->rep.map_handle = st.bos[h].offset;
		a->rep.cur_gmr_id = h;
		return 0;
	}
	case DRM_VMW_UNREF_DMABUF:
		return bo_close(((struct drm_vmw_unref_dmabuf_arg *)arg)->handle);
	default:
		return -EINVAL;
	}
}

/*
 * The ioctls these drivers declare DRM_AUTH | DRM_RENDER_ALLOW: an
 * unauthenticated primary node gets EACCES from drm_ioctl_permit(), a
 * render node passes. Every other ioctl answered here is
 * DRM_RENDER_ALLOW without DRM_AUTH.
 */
static bool needs_auth(unsigned int nr)
{
	if (nr < DRM_COMMAND_BASE)
		return false;
	nr -= DRM_COMMAND_BASE;
	if (driver_is("amdgpu"))
		return nr == DRM_AMDGPU_GEM_CREATE || nr == DRM_AMDGPU_GEM_MMAP ||
		       nr == DRM_AMDGPU_GEM_OP;
	if (driver_is("radeon"))
		return nr == DRM_RADEON_GEM_CREATE || nr == DRM_RADEON_GEM_MMAP ||
		       nr == DRM_RADEON_GEM_BUSY;
	return false;
}

static int answer(unsigned long req, void *arg)
{
	unsigned int nr = _IOC_NR(req);
	static const struct {
		const char *driver;
		int (*fn)(unsigned long req, unsigned int nr, void *arg);
	} drivers[] = {
		{ "i915", i915_ioctl },
		{ "xe", xe_ioctl },
		{ "amdgpu", amdgpu_ioctl },
		{ "radeon", radeon_ioctl },
		{ "nouveau", nouveau_ioctl },
		{ "msm", msm_ioctl },
		{ "panfrost", panfrost_ioctl },
		{ "v3d", v3d_ioctl },
		{ "vc4", vc4_ioctl },
		{ "etnaviv", etnaviv_ioctl },
		{ "lima", lima_ioctl },
		{ "vmwgfx", vmwgfx_ioctl },
	};

	if (_IOC_TYPE(req) != DRM_IOCTL_BASE)
		return -ENOTTY;
	if (nr < DRM_COMMAND_BASE || nr >= DRM_COMMAND_END)
		return core_ioctl(nr, arg);
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (driver_is(drivers[i].driver))
			return drivers[i].fn(req, nr - DRM_COMMAND_BASE, arg);
	return -EINVAL;
}

EXPORT int ioctl(int fd, unsigned long req, ...)
{
	struct fake_drm_call *call = NULL;
	unsigned int size = _IOC_SIZE(req);
	size_t copy = size < FAKE_DRM_ARG_MAX ? size : FAKE_DRM_ARG_MAX;
	va_list ap;
	void *arg;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (fd < 0 || (fd != st.fd && fd != st.render_fd))
		return syscall(SYS_ioctl, fd, req, arg);

	if (st.ncalls < FAKE_DRM_MAX_CALLS) {
		call = &st.calls[st.ncalls];
		memset(call, 0, sizeof(*call));
		call->req = req;
		call->size = size;
		call->render = fd == st.render_fd;
		if (arg)
			memcpy(call->in, arg, copy);
	}
	st.ncalls++;

	if (st.fail_at && st.ncalls == st.fail_at) {
		r = -st.fail_errno;
		if (call)
			call->injected = true;
	} else if (fd == st.fd && !st.authenticated &&
		   _IOC_TYPE(req) == DRM_IOCTL_BASE && needs_auth(_IOC_NR(req))) {
		r = -EACCES;
	} else {
		r = answer(req, arg);
	}

	if (call) {
		if (arg)
			memcpy(call->out, arg, copy);
		call->ret = r < 0 ? -1 : 0;
		call->err = r < 0 ? -r : 0;
	}
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t offset)
{
	struct fake_drm_mmap *m;
	long p;
	uint32_t h;

	if (fd < 0 || (fd != st.fd && fd != st.render_fd))
		return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd,
				       offset);

	/* the offset must be one the fake handed out, for a live object */
	for (h = 1; h < FAKE_DRM_MAX_HANDLES; h++)
		if (st.bos[h].live && st.bos[h].offset == (uint64_t)offset)
			break;
	if (h == FAKE_DRM_MAX_HANDLES || len > st.bos[h].size) {
		st.bad_mmaps++;
		errno = EINVAL;
		return MAP_FAILED;
	}

	/* device memory stands in as anonymous memory */
	p = syscall(SYS_mmap, addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	if (p == -1)
		return MAP_FAILED;
	if (st.nmmaps < FAKE_DRM_MAX_MMAPS) {
		m = &st.mmaps[st.nmmaps++];
		m->addr = (void *)p;
		m->len = len;
		m->prot = prot;
		m->flags = flags;
		m->offset = offset;
		m->handle = h;
	}
	return (void *)p;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		    off_t offset)
	__attribute__((alias("mmap")));

/*
 * The fake primary node's sysfs directory, /sys/dev/char/240:0, is a
 * directory tree the shim makes once: device/drm/card0 and
 * device/drm/renderD128, each with the uevent file that names its
 * /dev node. has_render = false hides the render node's entry.
 */
static char sysfs_root[64];

static void sysfs_put(const char *rel, const char *text)
{
	char path[160];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel);
	fd = syscall(SYS_openat, AT_FDCWD, path,
		     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		sysfs_root[0] = '\0';
	syscall(SYS_close, fd);
}

static void sysfs_dir(const char *rel)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel);
	mkdir(path, 0755);
}

static void sysfs_make(void)
{
	if (sysfs_root[0])
		return;
	snprintf(sysfs_root, sizeof(sysfs_root), "/tmp/fake-drm-sysfs-XXXXXX");
	if (!mkdtemp(sysfs_root)) {
		sysfs_root[0] = '\0';
		return;
	}
	sysfs_dir("device");
	sysfs_dir("device/drm");
	sysfs_dir("device/drm/card0");
	sysfs_dir("device/drm/renderD128");
	sysfs_put("device/drm/card0/uevent",
		  "MAJOR=240\nMINOR=0\nDEVNAME=fake-dri/card0\n");
	sysfs_put("device/drm/renderD128/uevent",
		  "MAJOR=240\nMINOR=128\nDEVNAME=fake-dri/renderD128\n");
}

__attribute__((destructor)) static void sysfs_remove(void)
{
	static const char *const rel[] = {
		"device/drm/card0/uevent", "device/drm/renderD128/uevent",
		"device/drm/card0", "device/drm/renderD128", "device/drm",
		"device", "",
	};
	char path[160];

	if (!sysfs_root[0])
		return;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", sysfs_root, rel[i]);
		if (unlink(path))
			rmdir(path);
	}
}

static int fake_node(int flags, const char *name, int *slot)
{
	int fd = syscall(SYS_memfd_create, name,
			 flags & O_CLOEXEC ? MFD_CLOEXEC : 0);

	if (fd >= 0)
		*slot = fd;
	return fd;
}

static int open_common(int dirfd, const char *path, int flags, mode_t mode)
{
	static const char sys_prefix[] = "/sys/dev/char/240:0/";
	char real[256];

	if (path && !strcmp(path, FAKE_DRM_NODE))
		return fake_node(flags, "fake-drm", &st.fd);
	if (path && !strcmp(path, FAKE_DRM_RENDER)) {
		if (!st.has_render) {
			errno = ENOENT;
			return -1;
		}
		return fake_node(flags, "fake-drm-render", &st.render_fd);
	}
	if (path && !strncmp(path, sys_prefix, strlen(sys_prefix))) {
		sysfs_make();
		if (!st.has_render && strstr(path, "renderD")) {
			errno = ENOENT;
			return -1;
		}
		snprintf(real, sizeof(real), "%s/%s", sysfs_root,
			 path + strlen(sys_prefix));
		path = real;
	}
	return syscall(SYS_openat, dirfd, path, flags, mode);
}

static mode_t open_mode(int flags, va_list ap)
{
	return flags & (O_CREAT | __O_TMPFILE) ? va_arg(ap, mode_t) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return open_common(AT_FDCWD, path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
	__attribute__((alias("open")));

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return open_common(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
	__attribute__((alias("openat")));

EXPORT int close(int fd)
{
	if (fd >= 0 && fd == st.fd)
		st.fd = -1;
	if (fd >= 0 && fd == st.render_fd)
		st.render_fd = -1;
	return syscall(SYS_close, fd);
}

/* the fake nodes are character devices 240:0 and 240:128 */
EXPORT int fstat(int fd, struct stat *buf)
{
	int r = syscall(SYS_fstat, fd, buf);

	if (!r && fd >= 0 && (fd == st.fd || fd == st.render_fd)) {
		buf->st_mode = S_IFCHR | 0666;
		buf->st_rdev = makedev(FAKE_DRM_MAJOR, fd == st.fd ? 0 :
				       FAKE_DRM_RENDER_MINOR);
	}
	return r;
}

/* struct stat64 is struct stat on 64-bit targets */
EXPORT int fstat64(int fd, struct stat64 *buf)
{
	return fstat(fd, (struct stat *)buf);
}

/* the kernel's page size, as the test chooses it */
extern long __sysconf(int name);

EXPORT long sysconf(int name)
{
	if (name == _SC_PAGESIZE && st.page_size)
		return st.page_size;
	return __sysconf(name);
}
