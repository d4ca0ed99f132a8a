/* SPDX-License-Identifier: MIT */
/*
 * uAPI that Debian 12's libdrm (2.4.114) does not ship, declared here
 * from the kernel's include/uapi/drm headers, only what the hardware mmap
 * paths use. Each block names the kernel header it comes from. These are
 * ABI: sizes and offsets must match the kernel's exactly (the hwpaths
 * selftest checks every size against the number encoded in the ioctl).
 *
 * When a newer libdrm provides a header, its definitions win: every block
 * is guarded by the header's own include guard, or by the macro it
 * defines first.
 */
#ifndef IGT_UAPI_EXTRA_H
#define IGT_UAPI_EXTRA_H

#include <drm.h>

/* ---- include/uapi/drm/xe_drm.h (6.8+) ---- */
#if !defined(_UAPI_XE_DRM_H_) && !defined(_XE_DRM_H_)
#define DRM_XE_DEVICE_QUERY		0x00
#define DRM_XE_GEM_CREATE		0x01
#define DRM_XE_GEM_MMAP_OFFSET		0x02

#define DRM_XE_DEVICE_QUERY_MEM_REGIONS	1

#define DRM_XE_MEM_REGION_CLASS_SYSMEM	0
#define DRM_XE_MEM_REGION_CLASS_VRAM	1

#define DRM_XE_GEM_CREATE_FLAG_DEFER_BACKING		(1 << 0)
#define DRM_XE_GEM_CREATE_FLAG_SCANOUT			(1 << 1)
#define DRM_XE_GEM_CREATE_FLAG_NEEDS_VISIBLE_VRAM	(1 << 2)

#define DRM_XE_GEM_CPU_CACHING_WB	1
#define DRM_XE_GEM_CPU_CACHING_WC	2

struct drm_xe_mem_region {
	__u16 mem_class;
	__u16 instance;		/* the bit in drm_xe_gem_create.placement */
	__u32 min_page_size;
	__u64 total_size;
	__u64 used;
	__u64 cpu_visible_size;
	__u64 cpu_visible_used;
	__u64 reserved[6];
};

struct drm_xe_query_mem_regions {
	__u32 num_mem_regions;
	__u32 pad;
	struct drm_xe_mem_region mem_regions[];
};

struct drm_xe_device_query {
	__u64 extensions;
	__u32 query;
	__u32 size;		/* 0: the kernel says how much it needs */
	__u64 data;
	__u64 reserved[2];
};

struct drm_xe_gem_create {
	__u64 extensions;
	__u64 size;
	__u32 placement;	/* mask of drm_xe_mem_region.instance bits */
	__u32 flags;
	__u32 vm_id;		/* 0: not VM-private, may be mapped/exported */
	__u32 handle;
	__u16 cpu_caching;
	__u16 pad[3];
	__u64 reserved[2];
};

struct drm_xe_gem_mmap_offset {
	__u64 extensions;
	__u32 handle;
	__u32 flags;
	__u64 offset;
	__u64 reserved[2];
};

#define DRM_IOCTL_XE_DEVICE_QUERY	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_DEVICE_QUERY, struct drm_xe_device_query)
#define DRM_IOCTL_XE_GEM_CREATE		DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_GEM_CREATE, struct drm_xe_gem_create)
#define DRM_IOCTL_XE_GEM_MMAP_OFFSET	DRM_IOWR(DRM_COMMAND_BASE + DRM_XE_GEM_MMAP_OFFSET, struct drm_xe_gem_mmap_offset)
#endif

/* ---- include/uapi/drm/panfrost_drm.h (5.2+) ---- */
#ifndef _PANFROST_DRM_H_
#define DRM_PANFROST_CREATE_BO		0x02
#define DRM_PANFROST_MMAP_BO		0x03

#define PANFROST_BO_NOEXEC	1
#define PANFROST_BO_HEAP	2

struct drm_panfrost_create_bo {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 offset;		/* GPU VA, not an mmap offset */
};

struct drm_panfrost_mmap_bo {
	__u32 handle;
	__u32 flags;
	__u64 offset;
};

#define DRM_IOCTL_PANFROST_CREATE_BO	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANFROST_CREATE_BO, struct drm_panfrost_create_bo)
#define DRM_IOCTL_PANFROST_MMAP_BO	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANFROST_MMAP_BO, struct drm_panfrost_mmap_bo)
#endif

/* ---- include/uapi/drm/v3d_drm.h (4.18+) ---- */
#ifndef _V3D_DRM_H_
#define DRM_V3D_CREATE_BO		0x02
#define DRM_V3D_MMAP_BO			0x03

struct drm_v3d_create_bo {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 offset;		/* GPU VA */
};

struct drm_v3d_mmap_bo {
	__u32 handle;
	__u32 flags;
	__u64 offset;
};

#define DRM_IOCTL_V3D_CREATE_BO		DRM_IOWR(DRM_COMMAND_BASE + DRM_V3D_CREATE_BO, struct drm_v3d_create_bo)
#define DRM_IOCTL_V3D_MMAP_BO		DRM_IOWR(DRM_COMMAND_BASE + DRM_V3D_MMAP_BO, struct drm_v3d_mmap_bo)
#endif

/* ---- include/uapi/drm/etnaviv_drm.h (4.5+) ---- */
#ifndef __ETNAVIV_DRM_H__
#define DRM_ETNAVIV_GEM_NEW		0x02
#define DRM_ETNAVIV_GEM_INFO		0x03

#define ETNA_BO_CACHED		0x00010000
#define ETNA_BO_WC		0x00020000
#define ETNA_BO_UNCACHED	0x00040000

struct drm_etnaviv_gem_new {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

struct drm_etnaviv_gem_info {
	__u32 handle;
	__u32 pad;
	__u64 offset;		/* mmap offset */
};

#define DRM_IOCTL_ETNAVIV_GEM_NEW	DRM_IOWR(DRM_COMMAND_BASE + DRM_ETNAVIV_GEM_NEW, struct drm_etnaviv_gem_new)
#define DRM_IOCTL_ETNAVIV_GEM_INFO	DRM_IOWR(DRM_COMMAND_BASE + DRM_ETNAVIV_GEM_INFO, struct drm_etnaviv_gem_info)
#endif

/* ---- include/uapi/drm/lima_drm.h (5.2+) ---- */
#ifndef __LIMA_DRM_H__
#define DRM_LIMA_GEM_CREATE		0x01
#define DRM_LIMA_GEM_INFO		0x02

#define LIMA_BO_FLAG_HEAP	(1 << 0)

struct drm_lima_gem_create {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 pad;
};

struct drm_lima_gem_info {
	__u32 handle;
	__u32 va;		/* out: GPU VA */
	__u64 offset;		/* out: mmap offset */
};

#define DRM_IOCTL_LIMA_GEM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_LIMA_GEM_CREATE, struct drm_lima_gem_create)
#define DRM_IOCTL_LIMA_GEM_INFO		DRM_IOWR(DRM_COMMAND_BASE + DRM_LIMA_GEM_INFO, struct drm_lima_gem_info)
#endif

/*
 * ---- include/uapi/drm/amdgpu_drm.h (6.6+) ----
 * libdrm 2.4.114's copy predates the doorbell domain.
 */
#ifndef AMDGPU_GEM_DOMAIN_DOORBELL
#define AMDGPU_GEM_DOMAIN_DOORBELL	0x40
#endif

/*
 * ---- include/uapi/drm/nouveau_drm.h ----
 * libdrm declares the argument but not the ioctl number (it goes through
 * drmCommandWriteRead()); the kernel header defines it like this.
 */
#ifndef DRM_IOCTL_NOUVEAU_GEM_NEW
#define DRM_IOCTL_NOUVEAU_GEM_NEW	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOUVEAU_GEM_NEW, struct drm_nouveau_gem_new)
#endif

/*
 * ---- include/uapi/drm/vmwgfx_drm.h ----
 * The kernel also has these names for DRM_VMW_ALLOC_DMABUF/UNREF_DMABUF
 * (renamed in 4.17), with the same numbers and layouts; since 5.17
 * ALLOC_BO creates a GEM object.
 */
#ifndef DRM_IOCTL_VMW_ALLOC_DMABUF
#define DRM_IOCTL_VMW_ALLOC_DMABUF	DRM_IOWR(DRM_COMMAND_BASE + DRM_VMW_ALLOC_DMABUF, union drm_vmw_alloc_dmabuf_arg)
#define DRM_IOCTL_VMW_UNREF_DMABUF	DRM_IOW(DRM_COMMAND_BASE + DRM_VMW_UNREF_DMABUF, struct drm_vmw_unref_dmabuf_arg)
#endif

/*
 * ---- include/uapi/drm/msm_drm.h: struct drm_msm_gem_info ----
 * libdrm 2.4.114 still has the original 16-byte layout (handle, flags,
 * offset); the kernel's is 24 bytes (handle, info, value, len, pad), and
 * the size is part of the ioctl number. Upstream IGT's headers carry the
 * kernel's layout under the same name, so this one has a name of its
 * own: it builds against either.
 */
struct igt_msm_gem_info {
	__u32 handle;
	__u32 info;		/* MSM_INFO_* */
	__u64 value;		/* GET_OFFSET: out, the mmap offset */
	__u32 len;
	__u32 pad;
};

#define IGT_MSM_INFO_GET_OFFSET		0x00
#define IGT_DRM_IOCTL_MSM_GEM_INFO	DRM_IOWR(DRM_COMMAND_BASE + 0x03, struct igt_msm_gem_info)

#endif /* IGT_UAPI_EXTRA_H */
