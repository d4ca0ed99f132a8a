// SPDX-License-Identifier: MIT
/*
 * Buffers of an mmap path (lib/igt_mmap_path.h): the steps every row
 * shares, driven by the row's data. "Create, then offset" is two ioctls
 * described by struct igt_bo_ioctl; rows that need more name a function
 * for one step and keep the data for the other.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt_mmap_path.h"

#define ARG_MAX 256

/* The kernel's page size: sizes and offsets are multiples of it. */
size_t igt_page_size(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 ? (size_t)page : 4096;
}

static size_t round_up(size_t size, size_t align)
{
	return (size + align - 1) / align * align;
}

const struct igt_mmap_path *igt_mmap_path_by_name(const char *name)
{
	for (unsigned int i = 0; i < igt_mmap_num_paths; i++)
		if (!strcmp(igt_mmap_paths[i].name, name))
			return &igt_mmap_paths[i];
	return NULL;
}

bool igt_mmap_path_applies(const struct igt_mmap_path *path,
			   const struct igt_drm_dev *dev)
{
	if (path->driver && strcmp(dev->driver, path->driver))
		return false;
	return !path->applies || path->applies(dev);
}

void igt_bo_desc(struct igt_bo *bo, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(bo->desc, sizeof(bo->desc), fmt, ap);
	va_end(ap);
}

void igt_bo_gem_close(struct igt_bo *bo)
{
	igt_drm_gem_close(bo->fd, bo->handle);
}

static void field_put(void *arg, struct igt_bo_field f, uint64_t v)
{
	char *p = (char *)arg + f.off;
	uint32_t v32 = v;
	uint16_t v16 = v;
	uint8_t v8 = v;

	switch (f.width) {
	case 1:
		memcpy(p, &v8, 1);
		break;
	case 2:
		memcpy(p, &v16, 2);
		break;
	case 4:
		memcpy(p, &v32, 4);
		break;
	case 8:
		memcpy(p, &v, 8);
		break;
	}
}

static uint64_t field_get(const void *arg, struct igt_bo_field f)
{
	const char *p = (const char *)arg + f.off;
	uint64_t v = 0;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;

	switch (f.width) {
	case 1:
		memcpy(&v8, p, 1);
		v = v8;
		break;
	case 2:
		memcpy(&v16, p, 2);
		v = v16;
		break;
	case 4:
		memcpy(&v32, p, 4);
		v = v32;
		break;
	case 8:
		memcpy(&v, p, 8);
		break;
	}
	return v;
}

/*
 * @set ends at its first empty entry (or after IGT_BO_MAX_SET): a caller's
 * extra list may be shorter than a row's.
 */
static void fields_put(void *arg, const struct igt_bo_set *set)
{
	for (int i = 0; set && i < IGT_BO_MAX_SET && set[i].f.width; i++)
		field_put(arg, set[i].f,
			  set[i].value == IGT_BO_PAGE_SIZE ?
			  igt_page_size() : set[i].value);
}

/*
 * One step of "create, then offset" on bo->fd: without a handle yet it
 * creates (handle and size come back), with one it asks for the offset.
 * 0 or -errno; bo->failed_step names the ioctl that failed.
 */
int igt_bo_ioctl_run(const struct igt_bo_ioctl *io,
		     const struct igt_bo_set *extra, struct igt_bo *bo,
		     size_t size)
{
	uint64_t arg[ARG_MAX / 8] = {};
	bool create = !bo->handle;
	int r;

	if (_IOC_SIZE(io->req) > sizeof(arg))
		return -E2BIG;
	field_put(arg, io->size, size);
	if (!create)
		field_put(arg, io->handle, bo->handle);
	fields_put(arg, io->set);
	fields_put(arg, extra);
	r = igt_drm_ioctl(bo->fd, io->req, arg);
	if (r) {
		bo->failed_step = io->name;
		return r;
	}
	if (create) {
		bo->handle = field_get(arg, io->handle);
		bo->size = io->size_back ? field_get(arg, io->size) : size;
	}
	if (io->offset.width) {
		bo->map_fd = bo->fd;
		bo->map_offset = field_get(arg, io->offset);
	}
	return 0;
}

static int node_fd(const struct igt_mmap_path *path,
		   const struct igt_drm_dev *dev)
{
	if (path->node == IGT_MMAP_NODE_PRIMARY || dev->render_fd < 0)
		return dev->fd;
	return dev->render_fd;
}

int igt_bo_alloc(const struct igt_mmap_path *path,
		 const struct igt_drm_dev *dev, size_t size,
		 struct igt_bo *bo)
{
	const char *step;
	int r;

	memset(bo, 0, sizeof(*bo));
	bo->dev = dev;
	bo->fd = node_fd(path, dev);
	bo->map_fd = -1;
	bo->dmabuf_fd = -1;
	size = round_up(size ? size : 1, igt_page_size());

	if (path->create_fn)
		r = path->create_fn(path, size, bo);
	else
		r = igt_bo_ioctl_run(path->create, path->create_set, bo, size);
	if (!r && !bo->desc[0])
		igt_bo_desc(bo, "%s object %u, %zu KiB%s%s",
			    path->driver ? path->driver : path->name,
			    bo->handle, bo->size >> 10,
			    path->placement ? ", " : "",
			    path->placement ? path->placement : "");
	if (!r && path->offset_fn)
		r = path->offset_fn(path, bo);
	else if (!r && path->offset)
		r = igt_bo_ioctl_run(path->offset, path->offset_set, bo,
				     bo->size);
	if (!r && path->where)
		path->where(bo);
	if (r) {
		step = bo->failed_step;
		igt_bo_release(path, bo);
		bo->failed_step = step;
	}
	return r;
}

bool igt_bo_alloc_not_here(const struct igt_mmap_path *path,
			   const struct igt_bo *bo, int err, char *why,
			   size_t len)
{
	const char *step = bo->failed_step ? bo->failed_step : "allocation";
	const char *node = bo->dev ? (bo->fd == bo->dev->fd ? bo->dev->node :
				      bo->dev->render_node) : "?";
	int e = err < 0 ? -err : err;

	for (const struct igt_bo_errno *n = path->not_here; n && n->err; n++) {
		if (n->err != e || (n->step && strcmp(n->step, step)))
			continue;
		snprintf(why, len, "%s on %s: %s: %s", step, node, strerror(e),
			 n->why);
		return true;
	}
	switch (e) {
	case ENOMEM:
	case ENOSPC:
		snprintf(why, len,
			 "%s on %s: %s: no room for the buffer now (a property of the machine's load, not of the path)",
			 step, node, strerror(e));
		return true;
	case EACCES:
		if (bo->dev && bo->fd == bo->dev->fd) {
			snprintf(why, len,
				 "%s on %s: %s: the ioctl needs DRM master or its authentication (DRM_AUTH), which this primary node lacks: another process (a compositor) is DRM master%s",
				 step, node, strerror(e),
				 bo->dev->render_fd < 0 ?
				 ", and the device has no render node to use instead" :
				 "; stop it or run from a text console");
			return true;
		}
		snprintf(why, len,
			 "%s on %s: %s: the render node refuses it (not DRM_RENDER_ALLOW): the path's row must say IGT_MMAP_NODE_PRIMARY",
			 step, node, strerror(e));
		return false;
	default:
		snprintf(why, len,
			 "%s on %s: %s: no kernel is known to refuse the %s path so; the test's arguments are wrong or the driver is",
			 step, node, strerror(e), path->name);
		return false;
	}
}

void igt_bo_release(const struct igt_mmap_path *path, struct igt_bo *bo)
{
	if (bo->dmabuf_fd >= 0)
		close(bo->dmabuf_fd);
	bo->dmabuf_fd = -1;
	if (bo->handle) {
		if (path->release)
			path->release(bo);
		else
			igt_bo_gem_close(bo);
	}
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
	size_t page = igt_page_size();
	size_t resv_len = bo->size + (align > page ? align : 0);
	uintptr_t resv, start;
	void *p;

	map->ptr = NULL;
	map->len = 0;
	p = mmap(NULL, resv_len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	resv = (uintptr_t)p;
	start = align > page ? (resv + align - 1) & ~(uintptr_t)(align - 1) :
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
