// SPDX-License-Identifier: MIT
/*
 * What the hardware drivers' mmap paths cannot say as data (their rows
 * and ioctl descriptions are in lib/igt_mmap_path.c): the capability
 * probes that decide where a path exists, the creations that take more
 * than one ioctl, and the questions that tell where a buffer was placed.
 * Written from the kernel's uAPI headers (libdrm's copies, and
 * lib/igt_uapi_extra.h where Debian 12's libdrm has none).
 *
 * A probe asks the kernel with one cheap ioctl (a parameter, a query, or
 * an ioctl on handle 0 whose error tells whether the path exists). PCI
 * ids are never needed: the kernel answers authoritatively, and a PCI
 * id table would go stale.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm.h>
#include <amdgpu_drm.h>
#include <i915_drm.h>
#include <radeon_drm.h>
#include <vmwgfx_drm.h>

#include "igt_uapi_extra.h"
#include "igt_mmap_path_hw.h"

/* the errno an ioctl fails with, 0 if it succeeds */
static int ioctl_errno(int fd, unsigned long req, void *arg)
{
	return -igt_drm_ioctl(fd, req, arg);
}

/* probes go where the buffers will: the render node if there is one */
static int probe_fd(const struct igt_drm_dev *dev)
{
	return dev->render_fd >= 0 ? dev->render_fd : dev->fd;
}

static void desc_append(struct igt_bo *bo, const char *what)
{
	size_t used = strlen(bo->desc);

	snprintf(bo->desc + used, sizeof(bo->desc) - used, "; %s", what);
}

/* ---- i915 ---- */

static bool i915_getparam(int fd, int param, int *value)
{
	drm_i915_getparam_t gp = { .param = param, .value = value };

	return !igt_drm_ioctl(fd, DRM_IOCTL_I915_GETPARAM, &gp);
}

/* MMAP_OFFSET is version 4 of the GTT mmap interface (5.7+) */
static bool i915_has_mmap_offset(int fd)
{
	int v = 0;

	return i915_getparam(fd, I915_PARAM_MMAP_GTT_VERSION, &v) && v >= 4;
}

/*
 * A mappable aperture exists unless MMAP_GTT says ENODEV: the kernel
 * checks for it before it looks the (invalid) handle up.
 */
static bool i915_has_aperture(int fd)
{
	struct drm_i915_gem_mmap_gtt m = { .handle = 0 };

	return ioctl_errno(fd, DRM_IOCTL_I915_GEM_MMAP_GTT, &m) != ENODEV;
}

/*
 * I915_GEM_MMAP is refused with EOPNOTSUPP on discrete GPUs and graphics
 * IP past 12.0, checked before the handle: ENOENT means it exists.
 */
static bool i915_has_legacy_mmap(int fd)
{
	struct drm_i915_gem_mmap m = { .handle = 0, .size = igt_page_size() };

	return ioctl_errno(fd, DRM_IOCTL_I915_GEM_MMAP, &m) == ENOENT;
}

/*
 * *instance: the first device-memory region's, or -1 on integrated parts
 * and kernels without the query (before 5.16). Device memory is what
 * makes i915 use TTM, which is what FIXED maps. Returns 0 or the query's
 * error (a kernel without the query answers EINVAL: no device memory).
 */
static int i915_lmem_instance(int fd, int *instance)
{
	struct drm_i915_query_item item = {
		.query_id = DRM_I915_QUERY_MEMORY_REGIONS,
	};
	struct drm_i915_query q = {
		.num_items = 1,
		.items_ptr = (uintptr_t)&item,
	};
	struct drm_i915_query_memory_regions *regions;
	int r;

	*instance = -1;
	r = igt_drm_ioctl(fd, DRM_IOCTL_I915_QUERY, &q);
	if (r == -EINVAL || (!r && item.length < 0))
		return 0;	/* no such query: no device memory either */
	if (r)
		return r;
	regions = calloc(1, item.length);
	if (!regions)
		return -ENOMEM;
	item.data_ptr = (uintptr_t)regions;
	r = igt_drm_ioctl(fd, DRM_IOCTL_I915_QUERY, &q);
	if (!r && item.length < 0)
		r = item.length;
	for (unsigned int i = 0; !r && i < regions->num_regions; i++) {
		const struct drm_i915_memory_region_info *m =
			&regions->regions[i];

		if (m->region.memory_class == I915_MEMORY_CLASS_DEVICE) {
			*instance = m->region.memory_instance;
			break;
		}
	}
	free(regions);
	return r;
}

static bool i915_has_lmem(int fd)
{
	int instance;

	return !i915_lmem_instance(fd, &instance) && instance >= 0;
}

bool igt_hw_i915_gtt_applies(const struct igt_drm_dev *dev)
{
	return i915_has_aperture(probe_fd(dev));
}

/* WB, WC and UC exist where objects are shmem (integrated parts) */
bool igt_hw_i915_offset_applies(const struct igt_drm_dev *dev)
{
	int instance;

	return i915_has_mmap_offset(probe_fd(dev)) &&
	       !i915_lmem_instance(probe_fd(dev), &instance) && instance < 0;
}

/*
 * FIXED is the only mode TTM-backed objects accept, and the only one
 * integrated parts refuse (ENODEV): it applies where device memory is.
 */
bool igt_hw_i915_fixed_applies(const struct igt_drm_dev *dev)
{
	return i915_has_mmap_offset(probe_fd(dev)) &&
	       i915_has_lmem(probe_fd(dev));
}

bool igt_hw_i915_legacy_applies(const struct igt_drm_dev *dev)
{
	return i915_has_legacy_mmap(probe_fd(dev));
}

/*
 * NEEDS_CPU_ACCESS keeps the object in the CPU-visible part of a small
 * BAR; the kernel requires system memory among the placements, for it
 * to spill to when that part is full.
 */
static const struct igt_bo_ioctl i915_create_ext = {
	.req = DRM_IOCTL_I915_GEM_CREATE_EXT,
	.name = "I915_GEM_CREATE_EXT",
	.size = IGT_BO_FIELD(struct drm_i915_gem_create_ext, size),
	.size_back = true,
	.handle = IGT_BO_FIELD(struct drm_i915_gem_create_ext, handle),
	.set = { { IGT_BO_FIELD(struct drm_i915_gem_create_ext, flags),
		   I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS } },
};

int igt_hw_i915_lmem_create(const struct igt_mmap_path *path, size_t size,
			    struct igt_bo *bo)
{
	struct drm_i915_gem_memory_class_instance regions[2] = {
		{ .memory_class = I915_MEMORY_CLASS_DEVICE },
		{ .memory_class = I915_MEMORY_CLASS_SYSTEM },
	};
	struct drm_i915_gem_create_ext_memory_regions ext = {
		.base.name = I915_GEM_CREATE_EXT_MEMORY_REGIONS,
		.num_regions = 2,
		.regions = (uintptr_t)regions,
	};
	struct igt_bo_set chain[] = {
		{ IGT_BO_FIELD(struct drm_i915_gem_create_ext, extensions),
		  (uintptr_t)&ext },
		{},
	};
	int instance, r;

	r = i915_lmem_instance(bo->fd, &instance);
	if (!r && instance < 0)
		r = -ENODEV;
	if (r) {
		bo->failed_step = "I915_QUERY";
		return r;
	}
	regions[0].memory_instance = instance;
	r = igt_bo_ioctl_run(&i915_create_ext, chain, bo, size);
	if (r)
		return r;
	/* i915 has no per-object placement query: this is the request */
	igt_bo_desc(bo, "i915 object %u, %zu KiB, asked for device memory %d (CPU-visible) with system memory to spill to, mmap-offset FIXED (WC for lmem)",
		    bo->handle, bo->size >> 10, instance);
	return 0;
}

/*
 * I915_GEM_MMAP makes the mapping itself (vm_mmap() of the object's shmem
 * file) at an address the kernel picks. The tests need to choose the
 * address (2 MiB alignment) and the flags (MAP_PRIVATE), so the file is
 * reopened through /proc/self/map_files (root only) and the kernel's
 * mapping dropped: mapping that file again gives the same kind of VMA.
 */
int igt_hw_i915_legacy_map(const struct igt_mmap_path *path,
			   struct igt_bo *bo)
{
	struct drm_i915_gem_mmap m = {
		.handle = bo->handle,
		.size = bo->size,
	};
	char file[64];
	int r, fd;

	r = igt_drm_ioctl(bo->fd, DRM_IOCTL_I915_GEM_MMAP, &m);
	if (r) {
		bo->failed_step = "I915_GEM_MMAP";
		return r;
	}
	snprintf(file, sizeof(file), "/proc/self/map_files/%llx-%llx",
		 (unsigned long long)m.addr_ptr,
		 (unsigned long long)(m.addr_ptr + bo->size));
	fd = open(file, O_RDWR | O_CLOEXEC);
	r = fd < 0 ? -errno : 0;
	munmap((void *)(uintptr_t)m.addr_ptr, bo->size);
	if (r) {
		bo->failed_step = "/proc/self/map_files";
		return r;
	}
	bo->map_fd = fd;
	bo->map_offset = 0;
	return 0;
}

void igt_hw_i915_legacy_release(struct igt_bo *bo)
{
	if (bo->map_fd >= 0 && bo->map_fd != bo->fd)
		close(bo->map_fd);
	bo->map_fd = -1;
	igt_bo_gem_close(bo);
}

/* ---- xe ---- */

struct xe_region {
	int instance;			/* -1: none */
	uint32_t min_page_size;
	uint64_t cpu_visible_size;
};

/* the first region of a class, from DEVICE_QUERY(MEM_REGIONS): 0 or -errno */
static int xe_find_region(int fd, uint16_t mem_class, struct xe_region *found)
{
	struct drm_xe_device_query q = {
		.query = DRM_XE_DEVICE_QUERY_MEM_REGIONS,
	};
	struct drm_xe_query_mem_regions *regions;
	int r;

	memset(found, 0, sizeof(*found));
	found->instance = -1;
	r = igt_drm_ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q);
	if (r)
		return r;
	if (!q.size)
		return -EINVAL;
	regions = calloc(1, q.size);
	if (!regions)
		return -ENOMEM;
	q.data = (uintptr_t)regions;
	r = igt_drm_ioctl(fd, DRM_IOCTL_XE_DEVICE_QUERY, &q);
	for (unsigned int i = 0; !r && i < regions->num_mem_regions; i++) {
		const struct drm_xe_mem_region *m = &regions->mem_regions[i];

		if (m->mem_class != mem_class)
			continue;
		found->instance = m->instance;
		found->min_page_size = m->min_page_size;
		found->cpu_visible_size = m->cpu_visible_size;
		break;
	}
	free(regions);
	return r;
}

static bool xe_has_region(int fd, uint16_t mem_class)
{
	struct xe_region region;

	return !xe_find_region(fd, mem_class, &region) && region.instance >= 0;
}

bool igt_hw_xe_system_applies(const struct igt_drm_dev *dev)
{
	return xe_has_region(probe_fd(dev), DRM_XE_MEM_REGION_CLASS_SYSMEM);
}

bool igt_hw_xe_vram_applies(const struct igt_drm_dev *dev)
{
	return xe_has_region(probe_fd(dev), DRM_XE_MEM_REGION_CLASS_VRAM);
}

/*
 * The object goes to the first region of the class the row names, the
 * only placement it is given: xe never moves it elsewhere but by
 * eviction, and has no per-object placement query.
 */
static const struct igt_bo_ioctl xe_gem_create = {
	.req = DRM_IOCTL_XE_GEM_CREATE,
	.name = "XE_GEM_CREATE",
	.size = IGT_BO_FIELD(struct drm_xe_gem_create, size),
	.handle = IGT_BO_FIELD(struct drm_xe_gem_create, handle),
};

#define XE_SET(member, v) { IGT_BO_FIELD(struct drm_xe_gem_create, member), (v) }

int igt_hw_xe_create(const struct igt_mmap_path *path, size_t size,
		     struct igt_bo *bo)
{
	uint16_t mem_class = path->param;
	bool vram = mem_class == DRM_XE_MEM_REGION_CLASS_VRAM;
	size_t align = igt_page_size();
	struct xe_region region;
	int r;

	r = xe_find_region(bo->fd, mem_class, &region);
	if (!r && region.instance < 0)
		r = -ENODEV;
	if (r) {
		bo->failed_step = "XE_DEVICE_QUERY";
		return r;
	}
	if (region.min_page_size > align)
		align = region.min_page_size;
	{
		/* VRAM objects must be WC; WB is only allowed in system memory */
		const struct igt_bo_set set[IGT_BO_MAX_SET] = {
			XE_SET(placement, 1u << region.instance),
			XE_SET(cpu_caching, vram ? DRM_XE_GEM_CPU_CACHING_WC :
					    DRM_XE_GEM_CPU_CACHING_WB),
			XE_SET(flags, vram ?
			       DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM : 0),
		};

		r = igt_bo_ioctl_run(&xe_gem_create, set, bo,
				     (size + align - 1) / align * align);
	}
	if (r)
		return r;
	igt_bo_desc(bo, "xe object %u, %zu KiB, placed in %s region %d only (its one placement), CPU caching %s",
		    bo->handle, bo->size >> 10,
		    vram ? "CPU-visible VRAM" : "system memory",
		    region.instance, vram ? "WC" : "WB");
	return 0;
}

/* ---- amdgpu, radeon: ask where the buffer went ---- */

static void domains_str(uint64_t d, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ AMDGPU_GEM_DOMAIN_CPU, "CPU" },
		{ AMDGPU_GEM_DOMAIN_GTT, "GTT" },
		{ AMDGPU_GEM_DOMAIN_VRAM, "VRAM" },
		{ AMDGPU_GEM_DOMAIN_GDS, "GDS" },
		{ AMDGPU_GEM_DOMAIN_GWS, "GWS" },
		{ AMDGPU_GEM_DOMAIN_OA, "OA" },
		{ AMDGPU_GEM_DOMAIN_DOORBELL, "DOORBELL" },
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (d & names[i].bit && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
				      names[i].name);
	if (!n)
		snprintf(buf, len, "none");
}

/*
 * amdgpu_gem_create_ioctl() retries a failed creation without
 * CPU_ACCESS_REQUIRED, then with GTT added to a VRAM-only request:
 * GET_GEM_CREATE_INFO returns the domains and flags it kept. Where the
 * buffer lies at a given moment amdgpu does not say (a VRAM-only
 * buffer may also be placed in GTT when VRAM is full).
 */
void igt_hw_amdgpu_where(struct igt_bo *bo)
{
	struct drm_amdgpu_gem_create_in info = {};
	struct drm_amdgpu_gem_op op = {
		.handle = bo->handle,
		.op = AMDGPU_GEM_OP_GET_GEM_CREATE_INFO,
		.value = (uintptr_t)&info,
	};
	char what[160], doms[64];
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_AMDGPU_GEM_OP, &op);

	if (r) {
		snprintf(what, sizeof(what),
			 "kernel's placement not known (GEM_OP GET_GEM_CREATE_INFO: %s)",
			 strerror(-r));
	} else {
		domains_str(info.domains, doms, sizeof(doms));
		snprintf(what, sizeof(what),
			 "kernel kept domains %s, CPU_ACCESS_REQUIRED %s",
			 doms, info.domain_flags &
			 AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED ? "kept" :
			 "not set");
	}
	desc_append(bo, what);
}

/* GEM_BUSY reports the domain the buffer is in now (radeon_gem_busy_ioctl) */
void igt_hw_radeon_where(struct igt_bo *bo)
{
	struct drm_radeon_gem_busy b = { .handle = bo->handle };
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_RADEON_GEM_BUSY, &b);
	char what[96];

	if (r && r != -EBUSY)
		snprintf(what, sizeof(what),
			 "kernel's placement not known (GEM_BUSY: %s)",
			 strerror(-r));
	else
		snprintf(what, sizeof(what), "now in domain %s",
			 b.domain == RADEON_GEM_DOMAIN_VRAM ? "VRAM" :
			 b.domain == RADEON_GEM_DOMAIN_GTT ? "GTT" :
			 b.domain == RADEON_GEM_DOMAIN_CPU ? "CPU" : "unknown");
	desc_append(bo, what);
}

/* ---- vc4, vmwgfx ---- */

/*
 * On the Raspberry Pi 4 and later vc4 drives only the display (the GPU is
 * v3d's): its drm_driver (vc5_drm_driver) registers no ioctls, so every
 * vc4 ioctl answers EINVAL there, the same errno as a bad argument. The
 * 3D-capable vc4 driver is the one with DRIVER_SYNCOBJ, which a
 * capability query tells without touching the 3D ioctls.
 */
bool igt_hw_vc4_applies(const struct igt_drm_dev *dev)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ };

	return !igt_drm_ioctl(probe_fd(dev), DRM_IOCTL_GET_CAP, &cap) &&
	       cap.value;
}

/* Before 5.17 the handle is a TTM base object, not a GEM handle. */
void igt_hw_vmwgfx_release(struct igt_bo *bo)
{
	struct drm_vmw_unref_dmabuf_arg u = { .handle = bo->handle };

	igt_drm_ioctl(bo->fd, DRM_IOCTL_VMW_UNREF_DMABUF, &u);
}
