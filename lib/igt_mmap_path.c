// SPDX-License-Identifier: MIT
/*
 * The table of mmap paths (the row format is in lib/igt_mmap_path.h) and
 * the ioctls their rows describe as data, written from the kernel's uAPI
 * headers (libdrm's copies, and lib/igt_uapi_extra.h where Debian 12's
 * libdrm has none). The generic steps are in lib/igt_bo.c, the hardware
 * drivers' own functions in lib/igt_mmap_path_hw.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm.h>
#include <drm_mode.h>
#include <amdgpu_drm.h>
#include <i915_drm.h>
#include <msm_drm.h>
#include <nouveau_drm.h>
#include <qxl_drm.h>
#include <radeon_drm.h>
#include <vc4_drm.h>
#include <virtgpu_drm.h>
#include <vmwgfx_drm.h>

#include "igt_canary.h"
#include "igt_mmap_path.h"
#include "igt_mmap_path_hw.h"
#include "igt_uapi_extra.h"

/* SPICE_SURFACE_FMT_32_xRGB, from spice-protocol's enums.h */
#define QXL_SURF_FMT_32_XRGB 32
/* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, from virtio_gpu.h */
#define VIRTGPU_FMT_B8G8R8X8 2
/* PIPE_TEXTURE_2D, PIPE_BIND_RENDER_TARGET: what 2D virtio-gpu accepts */
#define VIRTGPU_TARGET_2D 2
#define VIRTGPU_BIND_RENDER_TARGET 2

/* 32 bpp, a page per row: any size that is a multiple of the page size */
static int dumb_create(const struct igt_mmap_path *path, size_t size,
		       struct igt_bo *bo)
{
	size_t page = igt_page_size();
	struct drm_mode_create_dumb c = {
		.width = page / 4,
		.height = size / page ? size / page : 1,
		.bpp = 32,
	};
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);

	if (r) {
		bo->failed_step = "MODE_CREATE_DUMB";
		return r;
	}
	bo->handle = c.handle;
	bo->size = c.size;
	igt_bo_desc(bo, "dumb %ux%ux32 pitch %u size %llu", c.width, c.height,
		    c.pitch, (unsigned long long)c.size);
	return 0;
}

static void dumb_destroy(struct igt_bo *bo)
{
	struct drm_mode_destroy_dumb d = { .handle = bo->handle };

	igt_drm_ioctl(bo->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
}

static const struct igt_bo_ioctl dumb_map = {
	.req = DRM_IOCTL_MODE_MAP_DUMB,
	.name = "MODE_MAP_DUMB",
	.handle = IGT_BO_FIELD(struct drm_mode_map_dumb, handle),
	.offset = IGT_BO_FIELD(struct drm_mode_map_dumb, offset),
};

static bool dumb_applies(const struct igt_drm_dev *dev)
{
	return dev->has_dumb;
}

static bool prime_applies(const struct igt_drm_dev *dev)
{
	return dev->has_dumb && dev->can_export;
}

/* DRM_RDWR: without it the dma-buf file is read-only and cannot be
 * mapped shared and writable. */
static int prime_export(const struct igt_mmap_path *path, struct igt_bo *bo)
{
	struct drm_prime_handle p = {
		.handle = bo->handle,
		.flags = DRM_CLOEXEC | DRM_RDWR,
	};
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	if (r) {
		bo->failed_step = "PRIME_HANDLE_TO_FD";
		return r;
	}
	bo->dmabuf_fd = p.fd;
	bo->map_fd = p.fd;
	bo->map_offset = 0;
	strncat(bo->desc, ", exported as dma-buf",
		sizeof(bo->desc) - strlen(bo->desc) - 1);
	return 0;
}

static int virtgpu_create(const struct igt_mmap_path *path, size_t size,
			  struct igt_bo *bo)
{
	size_t page = igt_page_size();
	struct drm_virtgpu_resource_create c = {
		.target = VIRTGPU_TARGET_2D,
		.format = VIRTGPU_FMT_B8G8R8X8,
		.bind = VIRTGPU_BIND_RENDER_TARGET,
		.width = page / 4,
		.height = size / page ? size / page : 1,
		.depth = 1,
		.array_size = 1,
		.size = size,
		.stride = page,
	};
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c);

	if (r) {
		bo->failed_step = "VIRTGPU_RESOURCE_CREATE";
		return r;
	}
	bo->handle = c.bo_handle;
	bo->size = size;
	igt_bo_desc(bo, "virtgpu 2D resource %u, %ux%u, size %zu",
		    c.res_handle, c.width, c.height, size);
	return 0;
}

static const struct igt_bo_ioctl virtgpu_map = {
	.req = DRM_IOCTL_VIRTGPU_MAP,
	.name = "VIRTGPU_MAP",
	.handle = IGT_BO_FIELD(struct drm_virtgpu_map, handle),
	.offset = IGT_BO_FIELD(struct drm_virtgpu_map, offset),
};

/* QXL_ALLOC always places the object in the VRAM domain. */
static const struct igt_bo_ioctl qxl_alloc = {
	.req = DRM_IOCTL_QXL_ALLOC,
	.name = "QXL_ALLOC",
	.size = IGT_BO_FIELD(struct drm_qxl_alloc, size),
	.handle = IGT_BO_FIELD(struct drm_qxl_alloc, handle),
};

static const struct igt_bo_ioctl qxl_map = {
	.req = DRM_IOCTL_QXL_MAP,
	.name = "QXL_MAP",
	.handle = IGT_BO_FIELD(struct drm_qxl_map, handle),
	.offset = IGT_BO_FIELD(struct drm_qxl_map, offset),
};

/* QXL_ALLOC_SURF places it in the surface domain (the surface BAR). */
static int qxl_surface_create(const struct igt_mmap_path *path, size_t size,
			      struct igt_bo *bo)
{
	size_t page = igt_page_size();
	struct drm_qxl_alloc_surf a = {
		.format = QXL_SURF_FMT_32_XRGB,
		.width = page / 4,
		.height = size / page > 1 ? size / page - 1 : 1,
		.stride = page,
	};
	int r = igt_drm_ioctl(bo->fd, DRM_IOCTL_QXL_ALLOC_SURF, &a);

	if (r) {
		bo->failed_step = "QXL_ALLOC_SURF";
		return r;
	}
	bo->handle = a.handle;
	/* the kernel adds one stride of slack to the surface */
	bo->size = (size_t)a.stride * (a.height + 1);
	igt_bo_desc(bo, "qxl SURFACE domain, %ux%u stride %d, size %zu",
		    a.width, a.height, a.stride, bo->size);
	return 0;
}

/* ---- the hardware drivers' ioctls, as data ---- */

#define FIELD(type, member) IGT_BO_FIELD(type, member)
#define PAGE_ALIGNED(type, member) { FIELD(type, member), IGT_BO_PAGE_SIZE }

static const struct igt_bo_ioctl i915_create = {
	.req = DRM_IOCTL_I915_GEM_CREATE,
	.name = "I915_GEM_CREATE",
	.size = FIELD(struct drm_i915_gem_create, size),
	.size_back = true,
	.handle = FIELD(struct drm_i915_gem_create, handle),
};

static const struct igt_bo_ioctl i915_mmap_gtt = {
	.req = DRM_IOCTL_I915_GEM_MMAP_GTT,
	.name = "I915_GEM_MMAP_GTT",
	.handle = FIELD(struct drm_i915_gem_mmap_gtt, handle),
	.offset = FIELD(struct drm_i915_gem_mmap_gtt, offset),
};

static const struct igt_bo_ioctl i915_mmap_offset = {
	.req = DRM_IOCTL_I915_GEM_MMAP_OFFSET,
	.name = "I915_GEM_MMAP_OFFSET",
	.handle = FIELD(struct drm_i915_gem_mmap_offset, handle),
	.offset = FIELD(struct drm_i915_gem_mmap_offset, offset),
};

#define I915_MODE(m) { FIELD(struct drm_i915_gem_mmap_offset, flags), (m) }

static const struct igt_bo_ioctl xe_mmap_offset = {
	.req = DRM_IOCTL_XE_GEM_MMAP_OFFSET,
	.name = "XE_GEM_MMAP_OFFSET",
	.handle = FIELD(struct drm_xe_gem_mmap_offset, handle),
	.offset = FIELD(struct drm_xe_gem_mmap_offset, offset),
};

static const struct igt_bo_ioctl amdgpu_create = {
	.req = DRM_IOCTL_AMDGPU_GEM_CREATE,
	.name = "AMDGPU_GEM_CREATE",
	.size = FIELD(union drm_amdgpu_gem_create, in.bo_size),
	.handle = FIELD(union drm_amdgpu_gem_create, out.handle),
	.set = { PAGE_ALIGNED(union drm_amdgpu_gem_create, in.alignment) },
};

#define AMDGPU_DOMAIN(d) { FIELD(union drm_amdgpu_gem_create, in.domains), (d) }
#define AMDGPU_FLAGS(f) { FIELD(union drm_amdgpu_gem_create, in.domain_flags), (f) }

static const struct igt_bo_ioctl amdgpu_mmap = {
	.req = DRM_IOCTL_AMDGPU_GEM_MMAP,
	.name = "AMDGPU_GEM_MMAP",
	.handle = FIELD(union drm_amdgpu_gem_mmap, in.handle),
	.offset = FIELD(union drm_amdgpu_gem_mmap, out.addr_ptr),
};

static const struct igt_bo_ioctl radeon_create = {
	.req = DRM_IOCTL_RADEON_GEM_CREATE,
	.name = "RADEON_GEM_CREATE",
	.size = FIELD(struct drm_radeon_gem_create, size),
	.handle = FIELD(struct drm_radeon_gem_create, handle),
	.set = { PAGE_ALIGNED(struct drm_radeon_gem_create, alignment) },
};

#define RADEON_DOMAIN(d) { FIELD(struct drm_radeon_gem_create, initial_domain), (d) }

/* addr_ptr is the fake offset, despite its name */
static const struct igt_bo_ioctl radeon_mmap = {
	.req = DRM_IOCTL_RADEON_GEM_MMAP,
	.name = "RADEON_GEM_MMAP",
	.size = FIELD(struct drm_radeon_gem_mmap, size),
	.handle = FIELD(struct drm_radeon_gem_mmap, handle),
	.offset = FIELD(struct drm_radeon_gem_mmap, addr_ptr),
};

/* GEM_NEW returns the mmap offset itself, in info.map_handle */
static const struct igt_bo_ioctl nouveau_new = {
	.req = DRM_IOCTL_NOUVEAU_GEM_NEW,
	.name = "NOUVEAU_GEM_NEW",
	.size = FIELD(struct drm_nouveau_gem_new, info.size),
	.size_back = true,
	.handle = FIELD(struct drm_nouveau_gem_new, info.handle),
	.offset = FIELD(struct drm_nouveau_gem_new, info.map_handle),
	.set = { PAGE_ALIGNED(struct drm_nouveau_gem_new, align) },
};

#define NOUVEAU_DOMAIN(d) { FIELD(struct drm_nouveau_gem_new, info.domain), (d) }

static const struct igt_bo_ioctl msm_new = {
	.req = DRM_IOCTL_MSM_GEM_NEW,
	.name = "MSM_GEM_NEW",
	.size = FIELD(struct drm_msm_gem_new, size),
	.handle = FIELD(struct drm_msm_gem_new, handle),
};

/* the kernel's 24-byte layout (lib/igt_uapi_extra.h), not libdrm's */
static const struct igt_bo_ioctl msm_info = {
	.req = IGT_DRM_IOCTL_MSM_GEM_INFO,
	.name = "MSM_GEM_INFO",
	.handle = FIELD(struct igt_msm_gem_info, handle),
	.offset = FIELD(struct igt_msm_gem_info, value),
	.set = { { FIELD(struct igt_msm_gem_info, info),
		   IGT_MSM_INFO_GET_OFFSET } },
};

static const struct igt_bo_ioctl panfrost_create = {
	.req = DRM_IOCTL_PANFROST_CREATE_BO,
	.name = "PANFROST_CREATE_BO",
	.size = FIELD(struct drm_panfrost_create_bo, size),
	.handle = FIELD(struct drm_panfrost_create_bo, handle),
};

static const struct igt_bo_ioctl panfrost_mmap = {
	.req = DRM_IOCTL_PANFROST_MMAP_BO,
	.name = "PANFROST_MMAP_BO",
	.handle = FIELD(struct drm_panfrost_mmap_bo, handle),
	.offset = FIELD(struct drm_panfrost_mmap_bo, offset),
};

static const struct igt_bo_ioctl v3d_create = {
	.req = DRM_IOCTL_V3D_CREATE_BO,
	.name = "V3D_CREATE_BO",
	.size = FIELD(struct drm_v3d_create_bo, size),
	.handle = FIELD(struct drm_v3d_create_bo, handle),
};

static const struct igt_bo_ioctl v3d_mmap = {
	.req = DRM_IOCTL_V3D_MMAP_BO,
	.name = "V3D_MMAP_BO",
	.handle = FIELD(struct drm_v3d_mmap_bo, handle),
	.offset = FIELD(struct drm_v3d_mmap_bo, offset),
};

static const struct igt_bo_ioctl vc4_create = {
	.req = DRM_IOCTL_VC4_CREATE_BO,
	.name = "VC4_CREATE_BO",
	.size = FIELD(struct drm_vc4_create_bo, size),
	.handle = FIELD(struct drm_vc4_create_bo, handle),
};

static const struct igt_bo_ioctl vc4_mmap = {
	.req = DRM_IOCTL_VC4_MMAP_BO,
	.name = "VC4_MMAP_BO",
	.handle = FIELD(struct drm_vc4_mmap_bo, handle),
	.offset = FIELD(struct drm_vc4_mmap_bo, offset),
};

static const struct igt_bo_ioctl etnaviv_new = {
	.req = DRM_IOCTL_ETNAVIV_GEM_NEW,
	.name = "ETNAVIV_GEM_NEW",
	.size = FIELD(struct drm_etnaviv_gem_new, size),
	.handle = FIELD(struct drm_etnaviv_gem_new, handle),
};

static const struct igt_bo_ioctl etnaviv_info = {
	.req = DRM_IOCTL_ETNAVIV_GEM_INFO,
	.name = "ETNAVIV_GEM_INFO",
	.handle = FIELD(struct drm_etnaviv_gem_info, handle),
	.offset = FIELD(struct drm_etnaviv_gem_info, offset),
};

static const struct igt_bo_ioctl lima_create = {
	.req = DRM_IOCTL_LIMA_GEM_CREATE,
	.name = "LIMA_GEM_CREATE",
	.size = FIELD(struct drm_lima_gem_create, size),
	.handle = FIELD(struct drm_lima_gem_create, handle),
};

static const struct igt_bo_ioctl lima_info = {
	.req = DRM_IOCTL_LIMA_GEM_INFO,
	.name = "LIMA_GEM_INFO",
	.handle = FIELD(struct drm_lima_gem_info, handle),
	.offset = FIELD(struct drm_lima_gem_info, offset),
};

/* ALLOC_DMABUF (= ALLOC_BO) returns the mmap offset with the handle */
static const struct igt_bo_ioctl vmw_alloc = {
	.req = DRM_IOCTL_VMW_ALLOC_DMABUF,
	.name = "VMW_ALLOC_DMABUF",
	.size = FIELD(union drm_vmw_alloc_dmabuf_arg, req.size),
	.handle = FIELD(union drm_vmw_alloc_dmabuf_arg, rep.handle),
	.offset = FIELD(union drm_vmw_alloc_dmabuf_arg, rep.map_handle),
};

/* the kernel ranges in which a path does not exist */
static const struct igt_bo_errno amdgpu_doorbell_not_here[] = {
	{ EINVAL, "AMDGPU_GEM_CREATE",
	  "kernels before 6.6 do not know AMDGPU_GEM_DOMAIN_DOORBELL, and from 6.6 (6be2ad4f0073 \"drm/amdgpu: don't allow userspace to create a doorbell BO\") until its revert in the user-queue series (7.x) amdgpu_gem_create_ioctl() refuses it" },
	{ 0 }
};

static const struct igt_bo_errno i915_legacy_not_here[] = {
	{ EACCES, "/proc/self/map_files",
	  "reopening the kernel's mapping needs CAP_SYS_ADMIN: run as root" },
	{ EPERM, "/proc/self/map_files",
	  "reopening the kernel's mapping needs CAP_SYS_ADMIN: run as root" },
	{ 0 }
};

const struct igt_mmap_path igt_mmap_paths[] = {
	{
		.name = "dumb",
		.summary = "dumb buffer mapped through the DRM file",
		.uapi = "MODE_CREATE_DUMB, MODE_MAP_DUMB, mmap(drm fd)",
		.owner_why = "the GEM object's backing belongs to the driver",
		.node = IGT_MMAP_NODE_PRIMARY,	/* no dumb buffers on renderD */
		.applies = dumb_applies,
		.create_fn = dumb_create,
		.offset = &dumb_map,
		.release = dumb_destroy,
	},
	{
		.name = "prime",
		.summary = "dumb buffer exported as a dma-buf and mapped through it",
		.uapi = "MODE_CREATE_DUMB, PRIME_HANDLE_TO_FD(DRM_RDWR), mmap(dma-buf fd)",
		.owner_why = "the exporter owns the pages; dma-buf mmap forwards to it",
		.node = IGT_MMAP_NODE_PRIMARY,
		.applies = prime_applies,
		.create_fn = dumb_create,
		.offset_fn = prime_export,
		.release = dumb_destroy,
	},
	{
		.name = "virtgpu",
		.summary = "virtio-gpu 2D resource mapped with VIRTGPU_MAP",
		.uapi = "VIRTGPU_RESOURCE_CREATE, VIRTGPU_MAP, mmap(drm fd)",
		.owner_why = "guest pages the host reads as the resource's backing",
		.driver = "virtio_gpu",
		.create_fn = virtgpu_create,
		.offset = &virtgpu_map,
	},
	{
		.name = "qxl-vram",
		.summary = "qxl buffer in the VRAM domain (TTM, PCI BAR)",
		.uapi = "QXL_ALLOC, QXL_MAP, mmap(drm fd)",
		.owner_why = "TTM-managed device memory",
		.driver = "qxl",
		.create = &qxl_alloc,
		.offset = &qxl_map,
		.placement = "VRAM domain",
	},
	{
		.name = "qxl-surface",
		.summary = "qxl surface in the SURFACE domain (TTM, PCI BAR)",
		.uapi = "QXL_ALLOC_SURF, QXL_MAP, mmap(drm fd)",
		.owner_why = "TTM-managed device memory",
		.driver = "qxl",
		.create_fn = qxl_surface_create,
		.offset = &qxl_map,
	},
	/* ---- the hardware drivers' paths: never run on hardware yet ---- */
	{
		.name = "i915-gtt",
		.summary = "GTT-mapped i915 buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP_GTT, mmap(drm fd)",
		.owner_why = "i915 object seen through the GGTT aperture (device I/O memory)",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_gtt_applies,
		.create = &i915_create,
		.offset = &i915_mmap_gtt,
		.placement = "GGTT aperture (WC)",
	},
	{
		.name = "i915-offset-wb",
		.summary = "write-back i915 mmap-offset buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(WB), mmap(drm fd)",
		.owner_why = "i915 object pages, inserted by the driver's fault handler",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_offset_applies,
		.create = &i915_create,
		.offset = &i915_mmap_offset,
		.offset_set = { I915_MODE(I915_MMAP_OFFSET_WB) },
		.placement = "system memory, mmap-offset WB",
	},
	{
		.name = "i915-offset-wc",
		.summary = "write-combined i915 mmap-offset buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(WC), mmap(drm fd)",
		.owner_why = "i915 object pages, inserted by the driver's fault handler",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_offset_applies,
		.create = &i915_create,
		.offset = &i915_mmap_offset,
		.offset_set = { I915_MODE(I915_MMAP_OFFSET_WC) },
		.placement = "system memory, mmap-offset WC",
	},
	{
		.name = "i915-offset-uc",
		.summary = "non-cached (UC) i915 mmap-offset buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(UC), mmap(drm fd)",
		.owner_why = "i915 object pages, inserted by the driver's fault handler",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_offset_applies,
		.create = &i915_create,
		.offset = &i915_mmap_offset,
		.offset_set = { I915_MODE(I915_MMAP_OFFSET_UC) },
		.placement = "system memory, mmap-offset UC",
	},
	{
		.name = "i915-offset-fixed",
		.summary = "fixed-mode i915 mmap-offset buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(FIXED), mmap(drm fd)",
		.owner_why = "TTM-managed i915 object (system memory on a discrete GPU), faulted in by ttm_bo_vm_fault_reserved()",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_fixed_applies,
		.create = &i915_create,
		.offset = &i915_mmap_offset,
		.offset_set = { I915_MODE(I915_MMAP_OFFSET_FIXED) },
		.placement = "system memory (TTM), mmap-offset FIXED (WB)",
	},
	{
		.name = "i915-lmem-fixed",
		.summary = "device-local (lmem) i915 buffer",
		.uapi = "I915_QUERY(MEMORY_REGIONS), I915_GEM_CREATE_EXT(MEMORY_REGIONS, NEEDS_CPU_ACCESS), I915_GEM_MMAP_OFFSET(FIXED), mmap(drm fd)",
		.owner_why = "TTM-managed i915 object in device memory (PCI BAR), faulted in by ttm_bo_vm_fault_reserved()",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_fixed_applies,
		.create_fn = igt_hw_i915_lmem_create,
		.offset = &i915_mmap_offset,
		.offset_set = { I915_MODE(I915_MMAP_OFFSET_FIXED) },
	},
	{
		.name = "i915-legacy-cpu",
		.summary = "shmem-backed i915 legacy CPU-mmap buffer",
		.uapi = "I915_GEM_CREATE, I915_GEM_MMAP (vm_mmap of the object's shmem file), /proc/self/map_files, mmap(shmem file)",
		.owner = IGT_MMAP_OWNER_CORE_MM,
		.owner_why = "I915_GEM_MMAP maps the object's shmem file itself: its pages are ordinary page-cache pages that GUP may pin, as on any shmem mapping",
		.driver = "i915", .hardware = true,
		.applies = igt_hw_i915_legacy_applies,
		.create = &i915_create,
		.offset_fn = igt_hw_i915_legacy_map,
		.release = igt_hw_i915_legacy_release,
		.placement = "shmem file (legacy CPU mmap, WB)",
		.not_here = i915_legacy_not_here,
	},
	{
		.name = "xe-system",
		.summary = "system-memory xe buffer",
		.uapi = "XE_DEVICE_QUERY(MEM_REGIONS), XE_GEM_CREATE(sysmem, CPU_CACHING_WB), XE_GEM_MMAP_OFFSET, mmap(drm fd)",
		.owner_why = "TTM-managed xe object in system memory",
		.driver = "xe", .hardware = true,
		.applies = igt_hw_xe_system_applies,
		.create_fn = igt_hw_xe_create,
		.param = DRM_XE_MEM_REGION_CLASS_SYSMEM,
		.offset = &xe_mmap_offset,
	},
	{
		.name = "xe-vram",
		.summary = "CPU-visible VRAM xe buffer",
		.uapi = "XE_DEVICE_QUERY(MEM_REGIONS), XE_GEM_CREATE(vram, NEEDS_VISIBLE_VRAM, CPU_CACHING_WC), XE_GEM_MMAP_OFFSET, mmap(drm fd)",
		.owner_why = "TTM-managed xe object in VRAM (PCI BAR)",
		.driver = "xe", .hardware = true,
		.applies = igt_hw_xe_vram_applies,
		.create_fn = igt_hw_xe_create,
		.param = DRM_XE_MEM_REGION_CLASS_VRAM,
		.offset = &xe_mmap_offset,
	},
	{
		.name = "amdgpu-vram",
		.summary = "VRAM-requested amdgpu buffer",
		.uapi = "AMDGPU_GEM_CREATE(VRAM, CPU_ACCESS_REQUIRED), AMDGPU_GEM_MMAP, AMDGPU_GEM_OP(GET_GEM_CREATE_INFO), mmap(drm fd)",
		.owner_why = "TTM-managed amdgpu object, in CPU-visible VRAM (PCI BAR) unless the kernel fell back to GTT",
		.driver = "amdgpu", .hardware = true,
		.create = &amdgpu_create,
		.create_set = { AMDGPU_DOMAIN(AMDGPU_GEM_DOMAIN_VRAM),
				AMDGPU_FLAGS(AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED) },
		.offset = &amdgpu_mmap,
		.where = igt_hw_amdgpu_where,
		.placement = "asked for VRAM with CPU access (WC)",
	},
	{
		.name = "amdgpu-gtt",
		.summary = "GTT-domain amdgpu buffer",
		.uapi = "AMDGPU_GEM_CREATE(GTT), AMDGPU_GEM_MMAP, AMDGPU_GEM_OP(GET_GEM_CREATE_INFO), mmap(drm fd)",
		.owner_why = "TTM-managed amdgpu object in system memory (TTM pool pages)",
		.driver = "amdgpu", .hardware = true,
		.create = &amdgpu_create,
		.create_set = { AMDGPU_DOMAIN(AMDGPU_GEM_DOMAIN_GTT) },
		.offset = &amdgpu_mmap,
		.where = igt_hw_amdgpu_where,
		.placement = "asked for GTT, cached (WB)",
	},
	{
		.name = "amdgpu-cpu",
		.summary = "CPU-domain amdgpu buffer",
		.uapi = "AMDGPU_GEM_CREATE(CPU), AMDGPU_GEM_MMAP, AMDGPU_GEM_OP(GET_GEM_CREATE_INFO), mmap(drm fd)",
		.owner_why = "TTM-managed amdgpu object in TTM_PL_SYSTEM (not bound to the GART)",
		.driver = "amdgpu", .hardware = true,
		.create = &amdgpu_create,
		.create_set = { AMDGPU_DOMAIN(AMDGPU_GEM_DOMAIN_CPU) },
		.offset = &amdgpu_mmap,
		.where = igt_hw_amdgpu_where,
		.placement = "asked for the CPU domain (TTM_PL_SYSTEM)",
	},
	{
		.name = "amdgpu-doorbell",
		.summary = "doorbell-domain amdgpu buffer",
		.uapi = "AMDGPU_GEM_CREATE(DOORBELL), AMDGPU_GEM_MMAP, AMDGPU_GEM_OP(GET_GEM_CREATE_INFO), mmap(drm fd)",
		.owner_why = "amdgpu doorbell aperture (device MMIO)",
		.driver = "amdgpu", .hardware = true,
		.create = &amdgpu_create,
		.create_set = { AMDGPU_DOMAIN(AMDGPU_GEM_DOMAIN_DOORBELL) },
		.offset = &amdgpu_mmap,
		.where = igt_hw_amdgpu_where,
		.placement = "DOORBELL domain (MMIO, UC)",
		.not_here = amdgpu_doorbell_not_here,
	},
	{
		.name = "radeon-vram",
		.summary = "VRAM-domain radeon buffer",
		.uapi = "RADEON_GEM_CREATE(VRAM), RADEON_GEM_MMAP, RADEON_GEM_BUSY, mmap(drm fd)",
		.owner_why = "TTM-managed radeon object in VRAM (PCI BAR)",
		.driver = "radeon", .hardware = true,
		.create = &radeon_create,
		.create_set = { RADEON_DOMAIN(RADEON_GEM_DOMAIN_VRAM) },
		.offset = &radeon_mmap,
		.where = igt_hw_radeon_where,
		.placement = "asked for VRAM",
	},
	{
		.name = "radeon-gtt",
		.summary = "GTT-domain radeon buffer",
		.uapi = "RADEON_GEM_CREATE(GTT), RADEON_GEM_MMAP, RADEON_GEM_BUSY, mmap(drm fd)",
		.owner_why = "TTM-managed radeon object in system memory",
		.driver = "radeon", .hardware = true,
		.create = &radeon_create,
		.create_set = { RADEON_DOMAIN(RADEON_GEM_DOMAIN_GTT) },
		.offset = &radeon_mmap,
		.where = igt_hw_radeon_where,
		.placement = "asked for GTT",
	},
	{
		.name = "radeon-cpu",
		.summary = "CPU-domain radeon buffer",
		.uapi = "RADEON_GEM_CREATE(CPU), RADEON_GEM_MMAP, RADEON_GEM_BUSY, mmap(drm fd)",
		.owner_why = "TTM-managed radeon object in TTM_PL_SYSTEM",
		.driver = "radeon", .hardware = true,
		.create = &radeon_create,
		.create_set = { RADEON_DOMAIN(RADEON_GEM_DOMAIN_CPU) },
		.offset = &radeon_mmap,
		.where = igt_hw_radeon_where,
		.placement = "asked for the CPU domain",
	},
	{
		.name = "nouveau-vram",
		.summary = "mappable VRAM nouveau buffer",
		.uapi = "NOUVEAU_GEM_NEW(VRAM | MAPPABLE), mmap(drm fd) at info.map_handle",
		.owner_why = "TTM-managed nouveau object in VRAM (PCI BAR)",
		.driver = "nouveau", .hardware = true,
		.create = &nouveau_new,
		.create_set = { NOUVEAU_DOMAIN(NOUVEAU_GEM_DOMAIN_VRAM |
					       NOUVEAU_GEM_DOMAIN_MAPPABLE) },
		.placement = "mappable VRAM",
	},
	{
		.name = "nouveau-gart",
		.summary = "GART-domain nouveau buffer",
		.uapi = "NOUVEAU_GEM_NEW(GART), mmap(drm fd) at info.map_handle",
		.owner_why = "TTM-managed nouveau object in system memory",
		.driver = "nouveau", .hardware = true,
		.create = &nouveau_new,
		.create_set = { NOUVEAU_DOMAIN(NOUVEAU_GEM_DOMAIN_GART) },
		.placement = "GART",
	},
	{
		.name = "msm-wc",
		.summary = "write-combined msm buffer",
		.uapi = "MSM_GEM_NEW(MSM_BO_WC), MSM_GEM_INFO(GET_OFFSET), mmap(drm fd)",
		.owner_why = "msm object pages (shmem, purgeable by the driver)",
		.driver = "msm", .hardware = true,
		.create = &msm_new,
		.create_set = { { FIELD(struct drm_msm_gem_new, flags), MSM_BO_WC } },
		.offset = &msm_info,
		.placement = "MSM_BO_WC",
	},
	{
		/* HEAP objects grow on GPU faults and cannot be mapped */
		.name = "panfrost-bo",
		.summary = "no-exec panfrost buffer",
		.uapi = "PANFROST_CREATE_BO(NOEXEC), PANFROST_MMAP_BO, mmap(drm fd)",
		.owner_why = "drm_gem_shmem object pages (purgeable by the driver)",
		.driver = "panfrost", .hardware = true,
		.create = &panfrost_create,
		.create_set = { { FIELD(struct drm_panfrost_create_bo, flags),
				  PANFROST_BO_NOEXEC } },
		.offset = &panfrost_mmap,
		.placement = "NOEXEC",
	},
	{
		.name = "v3d-bo",
		.summary = "v3d buffer",
		.uapi = "V3D_CREATE_BO, V3D_MMAP_BO, mmap(drm fd)",
		.owner_why = "drm_gem_shmem object pages",
		.driver = "v3d", .hardware = true,
		.create = &v3d_create,
		.offset = &v3d_mmap,
	},
	{
		.name = "vc4-bo",
		.summary = "vc4 buffer",
		.uapi = "GET_CAP(SYNCOBJ), VC4_CREATE_BO, VC4_MMAP_BO, mmap(drm fd)",
		.owner_why = "vc4 DMA (CMA) object, kept in the driver's BO cache",
		.driver = "vc4", .hardware = true,
		.applies = igt_hw_vc4_applies,
		.create = &vc4_create,
		.offset = &vc4_mmap,
		.placement = "CMA (WC)",
	},
	{
		.name = "etnaviv-wc",
		.summary = "write-combined etnaviv buffer",
		.uapi = "ETNAVIV_GEM_NEW(ETNA_BO_WC), ETNAVIV_GEM_INFO, mmap(drm fd)",
		.owner_why = "etnaviv object pages (shmem, mapped by the driver)",
		.driver = "etnaviv", .hardware = true,
		.create = &etnaviv_new,
		.create_set = { { FIELD(struct drm_etnaviv_gem_new, flags),
				  ETNA_BO_WC } },
		.offset = &etnaviv_info,
		.placement = "ETNA_BO_WC",
	},
	{
		.name = "lima-bo",
		.summary = "lima buffer",
		.uapi = "LIMA_GEM_CREATE, LIMA_GEM_INFO, mmap(drm fd)",
		.owner_why = "drm_gem_shmem object pages",
		.driver = "lima", .hardware = true,
		.create = &lima_create,
		.offset = &lima_info,
	},
	{
		.name = "vmwgfx-bo",
		.summary = "vmwgfx buffer",
		.uapi = "VMW_ALLOC_DMABUF (ALLOC_BO), mmap(drm fd) at rep.map_handle, VMW_UNREF_DMABUF",
		.owner_why = "TTM-managed vmwgfx buffer (guest memory the host reads)",
		.driver = "vmwgfx", .hardware = true,
		.create = &vmw_alloc,
		.release = igt_hw_vmwgfx_release,
	},
	/* the canary, an unsafe test-only driver: lib/igt_canary.c */
	IGT_CANARY_PATHS
};

const unsigned int igt_mmap_num_paths =
	sizeof(igt_mmap_paths) / sizeof(igt_mmap_paths[0]);
