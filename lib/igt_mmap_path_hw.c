// SPDX-License-Identifier: MIT
/*
 * The hardware drivers' own mmap paths, written from the kernel's uAPI
 * headers (libdrm's copies, and lib/igt_uapi_extra.h where Debian 12's
 * libdrm has none). Each path creates one buffer object the way that
 * driver's user space does, asks for its mmap offset, and says in
 * bo->desc where the buffer was placed and how it is cached.
 *
 * applies() matches the DRM_IOCTL_VERSION driver name and, where a path
 * exists only on some devices of a driver, asks the kernel with one cheap
 * ioctl (a parameter, a query, or an ioctl on handle 0 whose error tells
 * whether the path exists). PCI ids are never needed for that: the kernel
 * answers authoritatively, and a PCI id table would go stale.
 *
 * alloc() may fail at any step: igt_bo_alloc() then calls release(),
 * which must undo whatever alloc() did (bo->handle is set as soon as the
 * object exists, so it is always closed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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
#include <msm_drm.h>
#include <nouveau_drm.h>
#include <radeon_drm.h>
#include <vc4_drm.h>
#include <vmwgfx_drm.h>

#include "igt_uapi_extra.h"
#include "igt_mmap_path_hw.h"

#define HW_PAGE_SIZE 4096ul

/* the errno an ioctl fails with, 0 if it succeeds */
static int ioctl_errno(int fd, unsigned long req, void *arg)
{
	return -igt_drm_ioctl(fd, req, arg);
}

static bool is_driver(const struct igt_drm_dev *dev, const char *name)
{
	return !strcmp(dev->driver, name);
}

static void gem_release(struct igt_bo *bo)
{
	igt_drm_gem_close(bo->dev->fd, bo->handle);
}

static void set_desc(struct igt_bo *bo, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_desc(struct igt_bo *bo, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(bo->desc, sizeof(bo->desc), fmt, ap);
	va_end(ap);
}

static size_t round_up(size_t size, size_t align)
{
	return (size + align - 1) / align * align;
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
	struct drm_i915_gem_mmap m = { .handle = 0, .size = HW_PAGE_SIZE };

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

static int i915_create(int fd, size_t size, struct igt_bo *bo)
{
	struct drm_i915_gem_create c = { .size = size };
	int r = igt_drm_ioctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c);

	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	return 0;
}

static int i915_mmap_offset(const struct igt_drm_dev *dev, struct igt_bo *bo,
			    uint64_t flags)
{
	struct drm_i915_gem_mmap_offset m = {
		.handle = bo->handle,
		.flags = flags,
	};
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_I915_GEM_MMAP_OFFSET, &m);

	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

bool igt_hw_i915_gtt_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "i915") && i915_has_aperture(dev->fd);
}

int igt_hw_i915_gtt_alloc(const struct igt_drm_dev *dev, size_t size,
			  struct igt_bo *bo)
{
	struct drm_i915_gem_mmap_gtt m = {};
	int r;

	r = i915_create(dev->fd, size, bo);
	if (r)
		return r;
	set_desc(bo, "i915 object %u, %zu KiB, GGTT aperture (WC)", bo->handle,
		 bo->size >> 10);
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_I915_GEM_MMAP_GTT, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

void igt_hw_i915_gtt_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* WB, WC and UC exist where objects are shmem (integrated parts) */
static bool i915_offset_applies(const struct igt_drm_dev *dev)
{
	int instance;

	return is_driver(dev, "i915") && i915_has_mmap_offset(dev->fd) &&
	       !i915_lmem_instance(dev->fd, &instance) && instance < 0;
}

static int i915_offset_alloc(const struct igt_drm_dev *dev, size_t size,
			     struct igt_bo *bo, uint64_t flags,
			     const char *caching)
{
	int r = i915_create(dev->fd, size, bo);

	if (r)
		return r;
	set_desc(bo, "i915 object %u, %zu KiB, system memory, mmap-offset %s",
		 bo->handle, bo->size >> 10, caching);
	return i915_mmap_offset(dev, bo, flags);
}

bool igt_hw_i915_offset_wb_applies(const struct igt_drm_dev *dev)
{
	return i915_offset_applies(dev);
}

int igt_hw_i915_offset_wb_alloc(const struct igt_drm_dev *dev, size_t size,
				struct igt_bo *bo)
{
	return i915_offset_alloc(dev, size, bo, I915_MMAP_OFFSET_WB, "WB");
}

void igt_hw_i915_offset_wb_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_i915_offset_wc_applies(const struct igt_drm_dev *dev)
{
	return i915_offset_applies(dev);
}

int igt_hw_i915_offset_wc_alloc(const struct igt_drm_dev *dev, size_t size,
				struct igt_bo *bo)
{
	return i915_offset_alloc(dev, size, bo, I915_MMAP_OFFSET_WC, "WC");
}

void igt_hw_i915_offset_wc_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_i915_offset_uc_applies(const struct igt_drm_dev *dev)
{
	return i915_offset_applies(dev);
}

int igt_hw_i915_offset_uc_alloc(const struct igt_drm_dev *dev, size_t size,
				struct igt_bo *bo)
{
	return i915_offset_alloc(dev, size, bo, I915_MMAP_OFFSET_UC, "UC");
}

void igt_hw_i915_offset_uc_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/*
 * FIXED is the only mode TTM-backed objects accept, and the only one
 * integrated parts refuse (ENODEV): it applies where device memory is.
 */
static bool i915_fixed_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "i915") && i915_has_mmap_offset(dev->fd) &&
	       i915_has_lmem(dev->fd);
}

bool igt_hw_i915_offset_fixed_applies(const struct igt_drm_dev *dev)
{
	return i915_fixed_applies(dev);
}

int igt_hw_i915_offset_fixed_alloc(const struct igt_drm_dev *dev,
				   size_t size, struct igt_bo *bo)
{
	return i915_offset_alloc(dev, size, bo, I915_MMAP_OFFSET_FIXED,
				 "FIXED (WB for system memory)");
}

void igt_hw_i915_offset_fixed_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_i915_lmem_fixed_applies(const struct igt_drm_dev *dev)
{
	return i915_fixed_applies(dev);
}

/*
 * NEEDS_CPU_ACCESS keeps the object in the CPU-visible part of a small
 * BAR; the kernel requires system memory as a second placement with it,
 * to spill to when that part is full.
 */
int igt_hw_i915_lmem_fixed_alloc(const struct igt_drm_dev *dev, size_t size,
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
	struct drm_i915_gem_create_ext c = {
		.size = size,
		.flags = I915_GEM_CREATE_EXT_FLAG_NEEDS_CPU_ACCESS,
		.extensions = (uintptr_t)&ext,
	};
	int instance, r;

	r = i915_lmem_instance(dev->fd, &instance);
	if (r)
		return r;
	if (instance < 0)
		return -ENODEV;
	regions[0].memory_instance = instance;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_I915_GEM_CREATE_EXT, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "i915 object %u, %zu KiB, device memory %d (CPU-visible) "
		 "or system, mmap-offset FIXED (WC for lmem)", bo->handle,
		 bo->size >> 10, instance);
	return i915_mmap_offset(dev, bo, I915_MMAP_OFFSET_FIXED);
}

void igt_hw_i915_lmem_fixed_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_i915_legacy_cpu_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "i915") && i915_has_legacy_mmap(dev->fd);
}

/*
 * I915_GEM_MMAP makes the mapping itself (vm_mmap() of the object's shmem
 * file) at an address the kernel picks. The tests need to choose the
 * address (2 MiB alignment) and the flags (MAP_PRIVATE), so the file is
 * reopened through /proc/self/map_files (root only) and the kernel's
 * mapping dropped: mapping that file again gives the same kind of VMA.
 */
int igt_hw_i915_legacy_cpu_alloc(const struct igt_drm_dev *dev, size_t size,
				 struct igt_bo *bo)
{
	struct drm_i915_gem_mmap m = {};
	char path[64];
	int r, fd;

	r = i915_create(dev->fd, size, bo);
	if (r)
		return r;
	set_desc(bo, "i915 object %u, %zu KiB, shmem file (legacy CPU mmap, WB)",
		 bo->handle, bo->size >> 10);
	m.handle = bo->handle;
	m.size = bo->size;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_I915_GEM_MMAP, &m);
	if (r)
		return r;
	snprintf(path, sizeof(path), "/proc/self/map_files/%llx-%llx",
		 (unsigned long long)m.addr_ptr,
		 (unsigned long long)(m.addr_ptr + bo->size));
	fd = open(path, O_RDWR | O_CLOEXEC);
	r = fd < 0 ? -errno : 0;
	munmap((void *)(uintptr_t)m.addr_ptr, bo->size);
	if (r)
		return r;
	bo->map_fd = fd;
	bo->map_offset = 0;
	return 0;
}

void igt_hw_i915_legacy_cpu_release(struct igt_bo *bo)
{
	if (bo->map_fd >= 0 && bo->map_fd != bo->dev->fd)
		close(bo->map_fd);
	bo->map_fd = -1;
	gem_release(bo);
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

static int xe_alloc(const struct igt_drm_dev *dev, size_t size,
		    struct igt_bo *bo, uint16_t mem_class)
{
	struct xe_region region;
	bool vram = mem_class == DRM_XE_MEM_REGION_CLASS_VRAM;
	struct drm_xe_gem_create c = {};
	struct drm_xe_gem_mmap_offset m = {};
	int r;

	r = xe_find_region(dev->fd, mem_class, &region);
	if (r)
		return r;
	if (region.instance < 0)
		return -ENODEV;
	c.size = round_up(size, region.min_page_size > HW_PAGE_SIZE ?
				region.min_page_size : HW_PAGE_SIZE);
	c.placement = 1u << region.instance;
	/* VRAM objects must be WC; WB is only allowed in system memory */
	c.cpu_caching = vram ? DRM_XE_GEM_CPU_CACHING_WC :
			       DRM_XE_GEM_CPU_CACHING_WB;
	c.flags = vram ? DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM : 0;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_XE_GEM_CREATE, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "xe object %u, %zu KiB, %s region %d, CPU caching %s",
		 bo->handle, bo->size >> 10, vram ? "VRAM (CPU-visible)" :
		 "system", region.instance, vram ? "WC" : "WB");
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_XE_GEM_MMAP_OFFSET, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

bool igt_hw_xe_system_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "xe") &&
	       xe_has_region(dev->fd, DRM_XE_MEM_REGION_CLASS_SYSMEM);
}

int igt_hw_xe_system_alloc(const struct igt_drm_dev *dev, size_t size,
			   struct igt_bo *bo)
{
	return xe_alloc(dev, size, bo, DRM_XE_MEM_REGION_CLASS_SYSMEM);
}

void igt_hw_xe_system_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_xe_vram_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "xe") &&
	       xe_has_region(dev->fd, DRM_XE_MEM_REGION_CLASS_VRAM);
}

int igt_hw_xe_vram_alloc(const struct igt_drm_dev *dev, size_t size,
			 struct igt_bo *bo)
{
	return xe_alloc(dev, size, bo, DRM_XE_MEM_REGION_CLASS_VRAM);
}

void igt_hw_xe_vram_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- amdgpu ---- */

static int amdgpu_alloc(const struct igt_drm_dev *dev, size_t size,
			struct igt_bo *bo, uint64_t domain, uint64_t flags,
			const char *what)
{
	union drm_amdgpu_gem_create c = {
		.in = {
			.bo_size = round_up(size, HW_PAGE_SIZE),
			.alignment = HW_PAGE_SIZE,
			.domains = domain,
			.domain_flags = flags,
		},
	};
	union drm_amdgpu_gem_mmap m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &c);
	if (r)
		return r;
	bo->handle = c.out.handle;
	bo->size = round_up(size, HW_PAGE_SIZE);
	set_desc(bo, "amdgpu object %u, %zu KiB, %s", bo->handle,
		 bo->size >> 10, what);
	m.in.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.out.addr_ptr;
	return 0;
}

static bool amdgpu_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "amdgpu");
}

bool igt_hw_amdgpu_vram_applies(const struct igt_drm_dev *dev)
{
	return amdgpu_applies(dev);
}

int igt_hw_amdgpu_vram_alloc(const struct igt_drm_dev *dev, size_t size,
			     struct igt_bo *bo)
{
	return amdgpu_alloc(dev, size, bo, AMDGPU_GEM_DOMAIN_VRAM,
			    AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED,
			    "VRAM domain, CPU access required (WC)");
}

void igt_hw_amdgpu_vram_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_amdgpu_gtt_applies(const struct igt_drm_dev *dev)
{
	return amdgpu_applies(dev);
}

int igt_hw_amdgpu_gtt_alloc(const struct igt_drm_dev *dev, size_t size,
			    struct igt_bo *bo)
{
	return amdgpu_alloc(dev, size, bo, AMDGPU_GEM_DOMAIN_GTT, 0,
			    "GTT domain, cached (WB)");
}

void igt_hw_amdgpu_gtt_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/*
 * The doorbell domain (6.6+) is meant for user-mode queues; older
 * kernels refuse the domain with EINVAL at create time, which the test
 * reports as a skip ("allocation failed").
 */
bool igt_hw_amdgpu_doorbell_applies(const struct igt_drm_dev *dev)
{
	return amdgpu_applies(dev);
}

int igt_hw_amdgpu_doorbell_alloc(const struct igt_drm_dev *dev, size_t size,
				 struct igt_bo *bo)
{
	return amdgpu_alloc(dev, size, bo, AMDGPU_GEM_DOMAIN_DOORBELL, 0,
			    "DOORBELL domain (MMIO, UC)");
}

void igt_hw_amdgpu_doorbell_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- radeon ---- */

static int radeon_alloc(const struct igt_drm_dev *dev, size_t size,
			struct igt_bo *bo, uint32_t domain, const char *what)
{
	struct drm_radeon_gem_create c = {
		.size = round_up(size, HW_PAGE_SIZE),
		.alignment = HW_PAGE_SIZE,
		.initial_domain = domain,
	};
	struct drm_radeon_gem_mmap m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_RADEON_GEM_CREATE, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "radeon object %u, %zu KiB, %s domain", bo->handle,
		 bo->size >> 10, what);
	m.handle = bo->handle;
	m.size = bo->size;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_RADEON_GEM_MMAP, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.addr_ptr;	/* the fake offset, despite the name */
	return 0;
}

bool igt_hw_radeon_vram_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "radeon");
}

int igt_hw_radeon_vram_alloc(const struct igt_drm_dev *dev, size_t size,
			     struct igt_bo *bo)
{
	return radeon_alloc(dev, size, bo, RADEON_GEM_DOMAIN_VRAM, "VRAM");
}

void igt_hw_radeon_vram_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_radeon_gtt_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "radeon");
}

int igt_hw_radeon_gtt_alloc(const struct igt_drm_dev *dev, size_t size,
			    struct igt_bo *bo)
{
	return radeon_alloc(dev, size, bo, RADEON_GEM_DOMAIN_GTT, "GTT");
}

void igt_hw_radeon_gtt_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- nouveau ---- */

/* GEM_NEW returns the mmap offset itself, in info.map_handle */
static int nouveau_alloc(const struct igt_drm_dev *dev, size_t size,
			 struct igt_bo *bo, uint32_t domain, const char *what)
{
	struct drm_nouveau_gem_new n = {
		.info = {
			.domain = domain,
			.size = round_up(size, HW_PAGE_SIZE),
		},
		.align = HW_PAGE_SIZE,
	};
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_NOUVEAU_GEM_NEW, &n);

	if (r)
		return r;
	bo->handle = n.info.handle;
	bo->size = n.info.size;
	set_desc(bo, "nouveau object %u, %zu KiB, %s (domain 0x%x)",
		 bo->handle, bo->size >> 10, what, n.info.domain);
	bo->map_fd = dev->fd;
	bo->map_offset = n.info.map_handle;
	return 0;
}

bool igt_hw_nouveau_vram_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "nouveau");
}

int igt_hw_nouveau_vram_alloc(const struct igt_drm_dev *dev, size_t size,
			      struct igt_bo *bo)
{
	return nouveau_alloc(dev, size, bo,
			     NOUVEAU_GEM_DOMAIN_VRAM |
			     NOUVEAU_GEM_DOMAIN_MAPPABLE, "mappable VRAM");
}

void igt_hw_nouveau_vram_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_nouveau_gart_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "nouveau");
}

int igt_hw_nouveau_gart_alloc(const struct igt_drm_dev *dev, size_t size,
			      struct igt_bo *bo)
{
	return nouveau_alloc(dev, size, bo, NOUVEAU_GEM_DOMAIN_GART, "GART");
}

void igt_hw_nouveau_gart_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- msm ---- */

bool igt_hw_msm_wc_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "msm");
}

/*
 * libdrm 2.4.114's drm_msm_gem_info is the 16-byte original layout; the
 * kernel's is now 24 bytes (info, value, len). The first 16 bytes agree
 * (flags == info == 0: MSM_INFO_GET_OFFSET; offset == value) and the DRM
 * core zero-fills the rest, so the short form works on every kernel.
 */
int igt_hw_msm_wc_alloc(const struct igt_drm_dev *dev, size_t size,
			struct igt_bo *bo)
{
	struct drm_msm_gem_new n = {
		.size = round_up(size, HW_PAGE_SIZE),
		.flags = MSM_BO_WC,
	};
	struct drm_msm_gem_info i = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_MSM_GEM_NEW, &n);
	if (r)
		return r;
	bo->handle = n.handle;
	bo->size = n.size;
	set_desc(bo, "msm object %u, %zu KiB, MSM_BO_WC", bo->handle,
		 bo->size >> 10);
	i.handle = bo->handle;
	i.flags = 0;	/* MSM_INFO_GET_OFFSET */
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_MSM_GEM_INFO, &i);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = i.offset;
	return 0;
}

void igt_hw_msm_wc_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- panfrost, v3d, vc4: CREATE_BO + MMAP_BO ---- */

bool igt_hw_panfrost_bo_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "panfrost");
}

/* HEAP objects are grown on GPU faults and cannot be mapped: NOEXEC only */
int igt_hw_panfrost_bo_alloc(const struct igt_drm_dev *dev, size_t size,
			     struct igt_bo *bo)
{
	struct drm_panfrost_create_bo c = {
		.size = round_up(size, HW_PAGE_SIZE),
		.flags = PANFROST_BO_NOEXEC,
	};
	struct drm_panfrost_mmap_bo m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_PANFROST_CREATE_BO, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "panfrost object %u, %zu KiB, NOEXEC, GPU VA 0x%llx",
		 bo->handle, bo->size >> 10, (unsigned long long)c.offset);
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_PANFROST_MMAP_BO, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

void igt_hw_panfrost_bo_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_v3d_bo_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "v3d");
}

int igt_hw_v3d_bo_alloc(const struct igt_drm_dev *dev, size_t size,
			struct igt_bo *bo)
{
	struct drm_v3d_create_bo c = { .size = round_up(size, HW_PAGE_SIZE) };
	struct drm_v3d_mmap_bo m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_V3D_CREATE_BO, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "v3d object %u, %zu KiB, GPU VA 0x%x", bo->handle,
		 bo->size >> 10, c.offset);
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_V3D_MMAP_BO, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

void igt_hw_v3d_bo_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/*
 * On the Raspberry Pi 4 and later vc4 drives only the display (the GPU is
 * v3d's) and registers no 3D ioctls; older kernels reached them and hit a
 * WARN_ON_ONCE. The 3D-capable vc4 driver is the one with DRIVER_SYNCOBJ,
 * which a capability query tells without touching the 3D ioctls.
 */
bool igt_hw_vc4_bo_applies(const struct igt_drm_dev *dev)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_SYNCOBJ };

	return is_driver(dev, "vc4") &&
	       !igt_drm_ioctl(dev->fd, DRM_IOCTL_GET_CAP, &cap) && cap.value;
}

int igt_hw_vc4_bo_alloc(const struct igt_drm_dev *dev, size_t size,
			struct igt_bo *bo)
{
	struct drm_vc4_create_bo c = { .size = round_up(size, HW_PAGE_SIZE) };
	struct drm_vc4_mmap_bo m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_VC4_CREATE_BO, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	set_desc(bo, "vc4 object %u, %zu KiB, CMA (WC)", bo->handle,
		 bo->size >> 10);
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_VC4_MMAP_BO, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

void igt_hw_vc4_bo_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- etnaviv, lima: NEW/CREATE + INFO ---- */

bool igt_hw_etnaviv_wc_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "etnaviv");
}

int igt_hw_etnaviv_wc_alloc(const struct igt_drm_dev *dev, size_t size,
			    struct igt_bo *bo)
{
	struct drm_etnaviv_gem_new n = {
		.size = round_up(size, HW_PAGE_SIZE),
		.flags = ETNA_BO_WC,
	};
	struct drm_etnaviv_gem_info i = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_ETNAVIV_GEM_NEW, &n);
	if (r)
		return r;
	bo->handle = n.handle;
	bo->size = n.size;
	set_desc(bo, "etnaviv object %u, %zu KiB, ETNA_BO_WC", bo->handle,
		 bo->size >> 10);
	i.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_ETNAVIV_GEM_INFO, &i);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = i.offset;
	return 0;
}

void igt_hw_etnaviv_wc_release(struct igt_bo *bo)
{
	gem_release(bo);
}

bool igt_hw_lima_bo_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "lima");
}

int igt_hw_lima_bo_alloc(const struct igt_drm_dev *dev, size_t size,
			 struct igt_bo *bo)
{
	struct drm_lima_gem_create c = { .size = round_up(size, HW_PAGE_SIZE) };
	struct drm_lima_gem_info i = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_LIMA_GEM_CREATE, &c);
	if (r)
		return r;
	bo->handle = c.handle;
	bo->size = c.size;
	i.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_LIMA_GEM_INFO, &i);
	set_desc(bo, "lima object %u, %zu KiB, GPU VA 0x%x", bo->handle,
		 bo->size >> 10, r ? 0 : i.va);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = i.offset;
	return 0;
}

void igt_hw_lima_bo_release(struct igt_bo *bo)
{
	gem_release(bo);
}

/* ---- vmwgfx ---- */

bool igt_hw_vmwgfx_bo_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "vmwgfx");
}

/*
 * ALLOC_DMABUF returns the mmap offset with the handle. Before 5.17 the
 * handle is a TTM base object, not a GEM handle, so it is released with
 * UNREF_DMABUF, which every version accepts.
 */
int igt_hw_vmwgfx_bo_alloc(const struct igt_drm_dev *dev, size_t size,
			   struct igt_bo *bo)
{
	union drm_vmw_alloc_dmabuf_arg a = {
		.req = { .size = round_up(size, HW_PAGE_SIZE) },
	};
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_VMW_ALLOC_DMABUF, &a);

	if (r)
		return r;
	bo->handle = a.rep.handle;
	bo->size = round_up(size, HW_PAGE_SIZE);
	set_desc(bo, "vmwgfx buffer %u, %zu KiB, GMR %u", bo->handle,
		 bo->size >> 10, a.rep.cur_gmr_id);
	bo->map_fd = dev->fd;
	bo->map_offset = a.rep.map_handle;
	return 0;
}

void igt_hw_vmwgfx_bo_release(struct igt_bo *bo)
{
	struct drm_vmw_unref_dmabuf_arg u = { .handle = bo->handle };

	igt_drm_ioctl(bo->dev->fd, DRM_IOCTL_VMW_UNREF_DMABUF, &u);
}
