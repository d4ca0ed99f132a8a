// SPDX-License-Identifier: MIT
/*
 * mmap paths, written from the kernel's uAPI headers (libdrm's copies).
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
#include <qxl_drm.h>
#include <virtgpu_drm.h>

#include "igt_canary.h"
#include "igt_mmap_path.h"
#include "igt_mmap_path_hw.h"

/* SPICE_SURFACE_FMT_32_xRGB, from spice-protocol's enums.h */
#define QXL_SURF_FMT_32_XRGB 32
/* VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, from virtio_gpu.h */
#define VIRTGPU_FMT_B8G8R8X8 2
/* PIPE_TEXTURE_2D, PIPE_BIND_RENDER_TARGET: what 2D virtio-gpu accepts */
#define VIRTGPU_TARGET_2D 2
#define VIRTGPU_BIND_RENDER_TARGET 2

/* 32 bpp, 4 KiB pitch: any size that is a multiple of 4 KiB */
static int dumb_create(int fd, size_t size, uint32_t *handle, char *desc,
		       size_t dlen, uint64_t *real)
{
	struct drm_mode_create_dumb c = {
		.width = 1024,
		.height = size / 4096 ? size / 4096 : 1,
		.bpp = 32,
	};
	int r = igt_drm_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);

	if (r)
		return r;
	*handle = c.handle;
	*real = c.size;
	snprintf(desc, dlen, "dumb %ux%ux32 pitch %u size %llu", c.width,
		 c.height, c.pitch, (unsigned long long)c.size);
	return 0;
}

static void dumb_destroy(int fd, uint32_t handle)
{
	struct drm_mode_destroy_dumb d = { .handle = handle };

	if (handle)
		igt_drm_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
}

static bool dumb_applies(const struct igt_drm_dev *dev)
{
	return dev->has_dumb;
}

static int dumb_alloc(const struct igt_drm_dev *dev, size_t size,
		      struct igt_bo *bo)
{
	struct drm_mode_map_dumb m = {};
	uint64_t real;
	int r;

	r = dumb_create(dev->fd, size, &bo->handle, bo->desc,
			sizeof(bo->desc), &real);
	if (r)
		return r;
	bo->size = real;
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

static void dumb_release(struct igt_bo *bo)
{
	dumb_destroy(bo->dev->fd, bo->handle);
}

static bool prime_applies(const struct igt_drm_dev *dev)
{
	return dev->has_dumb && dev->can_export;
}

/* DRM_RDWR: without it the dma-buf file is read-only and cannot be
 * mapped shared and writable. */
static int prime_alloc(const struct igt_drm_dev *dev, size_t size,
		       struct igt_bo *bo)
{
	struct drm_prime_handle p = {};
	uint64_t real;
	int r;

	r = dumb_create(dev->fd, size, &bo->handle, bo->desc,
			sizeof(bo->desc), &real);
	if (r)
		return r;
	bo->size = real;
	p.handle = bo->handle;
	p.flags = DRM_CLOEXEC | DRM_RDWR;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
	if (r)
		return r;
	bo->dmabuf_fd = p.fd;
	bo->map_fd = p.fd;
	bo->map_offset = 0;
	strncat(bo->desc, ", exported as dma-buf",
		sizeof(bo->desc) - strlen(bo->desc) - 1);
	return 0;
}

static void prime_release(struct igt_bo *bo)
{
	dumb_destroy(bo->dev->fd, bo->handle);
}

static bool is_driver(const struct igt_drm_dev *dev, const char *name)
{
	return !strcmp(dev->driver, name);
}

static bool virtgpu_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "virtio_gpu");
}

static int virtgpu_alloc(const struct igt_drm_dev *dev, size_t size,
			 struct igt_bo *bo)
{
	struct drm_virtgpu_resource_create c = {
		.target = VIRTGPU_TARGET_2D,
		.format = VIRTGPU_FMT_B8G8R8X8,
		.bind = VIRTGPU_BIND_RENDER_TARGET,
		.width = 1024,
		.height = size / 4096 ? size / 4096 : 1,
		.depth = 1,
		.array_size = 1,
		.size = size,
		.stride = 4096,
	};
	struct drm_virtgpu_map m = {};
	int r;

	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c);
	if (r)
		return r;
	bo->handle = c.bo_handle;
	bo->size = size;
	snprintf(bo->desc, sizeof(bo->desc),
		 "virtgpu 2D resource %u, %ux%u, size %zu", c.res_handle,
		 c.width, c.height, size);
	m.handle = bo->handle;
	r = igt_drm_ioctl(dev->fd, DRM_IOCTL_VIRTGPU_MAP, &m);
	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

static void gem_release(struct igt_bo *bo)
{
	igt_drm_gem_close(bo->dev->fd, bo->handle);
}

static bool qxl_applies(const struct igt_drm_dev *dev)
{
	return is_driver(dev, "qxl");
}

static int qxl_map(const struct igt_drm_dev *dev, struct igt_bo *bo)
{
	struct drm_qxl_map m = { .handle = bo->handle };
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_QXL_MAP, &m);

	if (r)
		return r;
	bo->map_fd = dev->fd;
	bo->map_offset = m.offset;
	return 0;
}

/* QXL_ALLOC always places the object in the VRAM domain. */
static int qxl_vram_alloc(const struct igt_drm_dev *dev, size_t size,
			  struct igt_bo *bo)
{
	struct drm_qxl_alloc a = { .size = size };
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_QXL_ALLOC, &a);

	if (r)
		return r;
	bo->handle = a.handle;
	bo->size = size;
	snprintf(bo->desc, sizeof(bo->desc), "qxl VRAM domain, size %zu",
		 size);
	return qxl_map(dev, bo);
}

/* QXL_ALLOC_SURF places it in the surface domain (the surface BAR). */
static int qxl_surface_alloc(const struct igt_drm_dev *dev, size_t size,
			     struct igt_bo *bo)
{
	struct drm_qxl_alloc_surf a = {
		.format = QXL_SURF_FMT_32_XRGB,
		.width = 1024,
		.height = size / 4096 > 1 ? size / 4096 - 1 : 1,
		.stride = 4096,
	};
	int r = igt_drm_ioctl(dev->fd, DRM_IOCTL_QXL_ALLOC_SURF, &a);

	if (r)
		return r;
	bo->handle = a.handle;
	/* the kernel adds one stride of slack to the surface */
	bo->size = (size_t)a.stride * (a.height + 1);
	snprintf(bo->desc, sizeof(bo->desc),
		 "qxl SURFACE domain, %ux%u stride %d, size %zu", a.width,
		 a.height, a.stride, bo->size);
	return qxl_map(dev, bo);
}

const struct igt_mmap_path igt_mmap_paths[] = {
	{
		.name = "dumb",
		.summary = "dumb buffer mapped through the DRM file",
		.uapi = "MODE_CREATE_DUMB, MODE_MAP_DUMB, mmap(drm fd)",
		.owner = IGT_MMAP_OWNER_DRIVER,
		.owner_why = "the GEM object's backing belongs to the driver",
		.applies = dumb_applies,
		.alloc = dumb_alloc,
		.release = dumb_release,
	},
	{
		.name = "prime",
		.summary = "dumb buffer exported as a dma-buf and mapped through it",
		.uapi = "MODE_CREATE_DUMB, PRIME_HANDLE_TO_FD(DRM_RDWR), mmap(dma-buf fd)",
		.owner = IGT_MMAP_OWNER_DRIVER,
		.owner_why = "the exporter owns the pages; dma-buf mmap forwards to it",
		.applies = prime_applies,
		.alloc = prime_alloc,
		.release = prime_release,
	},
	{
		.name = "virtgpu",
		.summary = "virtio-gpu 2D resource mapped with VIRTGPU_MAP",
		.uapi = "VIRTGPU_RESOURCE_CREATE, VIRTGPU_MAP, mmap(drm fd)",
		.owner = IGT_MMAP_OWNER_DRIVER,
		.owner_why = "guest pages the host reads as the resource's backing",
		.applies = virtgpu_applies,
		.alloc = virtgpu_alloc,
		.release = gem_release,
	},
	{
		.name = "qxl-vram",
		.summary = "qxl buffer in the VRAM domain (TTM, PCI BAR)",
		.uapi = "QXL_ALLOC, QXL_MAP, mmap(drm fd)",
		.owner = IGT_MMAP_OWNER_DRIVER,
		.owner_why = "TTM-managed device memory",
		.applies = qxl_applies,
		.alloc = qxl_vram_alloc,
		.release = gem_release,
	},
	{
		.name = "qxl-surface",
		.summary = "qxl surface in the SURFACE domain (TTM, PCI BAR)",
		.uapi = "QXL_ALLOC_SURF, QXL_MAP, mmap(drm fd)",
		.owner = IGT_MMAP_OWNER_DRIVER,
		.owner_why = "TTM-managed device memory",
		.applies = qxl_applies,
		.alloc = qxl_surface_alloc,
		.release = gem_release,
	},
	/* each hardware driver's own paths: lib/igt_mmap_path_hw.c */
	IGT_MMAP_HW_PATHS
	/* the canary, an unsafe test-only driver: lib/igt_canary.c */
	IGT_CANARY_PATHS
};

const unsigned int igt_mmap_num_paths =
	sizeof(igt_mmap_paths) / sizeof(igt_mmap_paths[0]);

const struct igt_mmap_path *igt_mmap_path_by_name(const char *name)
{
	for (unsigned int i = 0; i < igt_mmap_num_paths; i++)
		if (!strcmp(igt_mmap_paths[i].name, name))
			return &igt_mmap_paths[i];
	return NULL;
}

int igt_bo_alloc(const struct igt_mmap_path *path,
		 const struct igt_drm_dev *dev, size_t size,
		 struct igt_bo *bo)
{
	int r;

	memset(bo, 0, sizeof(*bo));
	bo->dev = dev;
	bo->map_fd = -1;
	bo->dmabuf_fd = -1;
	r = path->alloc(dev, size, bo);
	if (r)
		igt_bo_release(path, bo);
	return r;
}

void igt_bo_release(const struct igt_mmap_path *path, struct igt_bo *bo)
{
	if (bo->dmabuf_fd >= 0)
		close(bo->dmabuf_fd);
	bo->dmabuf_fd = -1;
	if (bo->handle)
		path->release(bo);
	bo->handle = 0;
}

/*
 * A huge entry can only be used where the virtual address is aligned as
 * well as the physical one, so the caller may ask for the mapping to
 * start on a given boundary: reserve a larger range, then map over it.
 */
int igt_bo_mmap(const struct igt_bo *bo, size_t align, int map_flags,
		struct igt_bo_map *map)
{
	size_t resv_len = bo->size + (align > 4096 ? align : 0);
	uintptr_t resv, start;
	void *p;

	map->ptr = NULL;
	map->len = 0;
	p = mmap(NULL, resv_len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	resv = (uintptr_t)p;
	start = align > 4096 ? (resv + align - 1) & ~(uintptr_t)(align - 1) :
		resv;

	p = mmap((void *)start, bo->size, PROT_READ | PROT_WRITE,
		 map_flags | MAP_FIXED, bo->map_fd, bo->map_offset);
	if (p == MAP_FAILED) {
		int err = errno;

		munmap((void *)resv, resv_len);
		return -err;
	}
	if (start > resv)
		munmap((void *)resv, start - resv);
	if (resv + resv_len > start + bo->size)
		munmap((void *)(start + bo->size),
		       resv + resv_len - (start + bo->size));
	map->ptr = p;
	map->len = bo->size;
	return 0;
}

void igt_bo_munmap(struct igt_bo_map *map)
{
	if (map->ptr)
		munmap(map->ptr, map->len);
	map->ptr = NULL;
}
