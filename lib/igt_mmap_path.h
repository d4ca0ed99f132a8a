/* SPDX-License-Identifier: MIT */
/*
 * The ways user space gets a CPU mapping of a buffer object, one table
 * row each: which devices it applies to, how a buffer is made for it,
 * and whether the pages behind it belong to the driver (the verdict
 * applies) or to core mm by design (the verdict is informational).
 *
 * A row is written with designated initializers; what it leaves out
 * takes the default. A typical hardware row (lib/igt_mmap_path.c):
 *
 *	{
 *		.name = "amdgpu-gtt",			(subtest prefix)
 *		.summary = "GTT-domain amdgpu buffer",	(reads in "Map %ss")
 *		.uapi = "AMDGPU_GEM_CREATE(GTT), AMDGPU_GEM_MMAP, ...",
 *		.owner_why = "TTM-managed amdgpu object in system memory ...",
 *		.driver = "amdgpu", .hardware = true,
 *		.create = &amdgpu_create,
 *		.create_set = { AMDGPU_DOMAIN(AMDGPU_GEM_DOMAIN_GTT) },
 *		.offset = &amdgpu_mmap,
 *		.where = igt_hw_amdgpu_where,
 *		.placement = "asked for GTT, cached (WB)",
 *	},
 *
 * .owner		IGT_MMAP_OWNER_DRIVER
 * .driver		NULL: any driver (then .applies decides alone)
 * .hardware		false: QEMU's virtual devices offer it too
 * .node		IGT_MMAP_NODE_RENDER: the device's render node when it
 *			has one, else its primary node
 * .applies		NULL: the driver name is enough
 * .create		how the buffer is made, as data (struct igt_bo_ioctl);
 *			or .create_fn where that takes more than one ioctl
 *			(it may still run one as data: igt_bo_ioctl_run())
 * .create_set		the row's own constants for .create (domains,
 *			flags), added to those of .create
 * .offset		how its mmap offset is asked for, as data; NULL
 *			when .create returns it; or .offset_fn
 * .offset_set		the row's own constants for .offset (mmap flags)
 * .release		GEM_CLOSE of the handle
 * .where		NULL: nothing to ask; else asks the kernel where
 *			the buffer was placed and appends it to bo->desc
 * .param		a value the row's own functions read
 * .placement		what was asked for, in bo->desc after the size
 * .not_here		errnos that mean "not on this device or kernel"
 *			(a skip, with the kernel range); every other errno
 *			of an allocation fails the subtest, except the
 *			common ones igt_bo_alloc_not_here() knows (no room;
 *			EACCES on an unauthenticated primary node)
 *
 * A new path is one row, the ioctl descriptions it needs (shared by the
 * rows of a driver), and a function only where data cannot say it.
 */
#ifndef IGT_MMAP_PATH_H
#define IGT_MMAP_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "igt_drm_dev.h"

enum igt_mmap_owner {
	IGT_MMAP_OWNER_DRIVER,	/* driver memory: GUP must not pin it */
	IGT_MMAP_OWNER_CORE_MM,	/* core-mm pages by design: GUP may pin */
};

/* which of the device's nodes the buffer ioctls go through */
enum igt_mmap_node {
	IGT_MMAP_NODE_RENDER,	/* renderD<N> if the device has one */
	IGT_MMAP_NODE_PRIMARY,	/* card<N>: dumb buffers, no render node */
};

/* a field of an ioctl argument: byte offset and width (1 to 8; 0: none) */
struct igt_bo_field {
	uint16_t off;
	uint8_t width;
};

#define IGT_BO_FIELD(type, member) \
	{ offsetof(type, member), sizeof(((type *)0)->member) }

/* a constant written into a field; IGT_BO_PAGE_SIZE: the page size */
struct igt_bo_set {
	struct igt_bo_field f;
	uint64_t value;
};

#define IGT_BO_PAGE_SIZE UINT64_MAX
#define IGT_BO_MAX_SET 3

/*
 * One ioctl of "create, then offset": the argument's fields it fills
 * and the ones it reads back. Fields of width 0 are not used.
 */
struct igt_bo_ioctl {
	unsigned long req;
	const char *name;		/* "AMDGPU_GEM_CREATE", for messages */
	struct igt_bo_field size;	/* in: the size, page-rounded */
	bool size_back;			/* the kernel writes the size back */
	struct igt_bo_field handle;	/* create: out; offset: in */
	struct igt_bo_field offset;	/* out: the fake mmap offset */
	struct igt_bo_set set[IGT_BO_MAX_SET];	/* in: constants */
};

/* an errno that means "this path does not exist here" */
struct igt_bo_errno {
	int err;
	const char *step;	/* the ioctl (igt_bo_ioctl.name); NULL: any */
	const char *why;	/* with the kernel range: shown in the skip */
};

struct igt_bo {
	const struct igt_drm_dev *dev;
	int fd;			/* the DRM file the handle belongs to */
	uint32_t handle;
	int map_fd;		/* what mmap() is called on */
	off_t map_offset;
	int dmabuf_fd;		/* -1 unless exported */
	size_t size;
	char desc[192];		/* placement, caching: for the log */
	/* after a failed igt_bo_alloc(): the ioctl that failed */
	const char *failed_step;
};

struct igt_mmap_path {
	const char *name;	/* subtest prefix: "dumb", "qxl-vram" */
	const char *summary;
	const char *uapi;	/* the ioctls it uses */
	enum igt_mmap_owner owner;
	const char *owner_why;
	const char *driver;	/* DRM driver name; NULL: any */
	bool hardware;		/* only real hardware offers it */
	enum igt_mmap_node node;
	bool (*applies)(const struct igt_drm_dev *dev);
	const struct igt_bo_ioctl *create;
	struct igt_bo_set create_set[IGT_BO_MAX_SET];
	int (*create_fn)(const struct igt_mmap_path *path, size_t size,
			 struct igt_bo *bo);
	const struct igt_bo_ioctl *offset;
	struct igt_bo_set offset_set[IGT_BO_MAX_SET];
	int (*offset_fn)(const struct igt_mmap_path *path, struct igt_bo *bo);
	void (*release)(struct igt_bo *bo);
	void (*where)(struct igt_bo *bo);
	/*
	 * Optional: what the driver says it installed for @bo (the canary
	 * can say), into @buf; false when the mapping lacks the entries the
	 * path exists to test (a huge path without a huge entry).
	 */
	bool (*installed)(const struct igt_bo *bo, char *buf, size_t len);
	uint64_t param;		/* for the row's functions: xe's region class */
	const char *placement;	/* what was asked for: for bo->desc */
	const struct igt_bo_errno *not_here;	/* ends with { 0 } */
};

extern const struct igt_mmap_path igt_mmap_paths[];
extern const unsigned int igt_mmap_num_paths;

const struct igt_mmap_path *igt_mmap_path_by_name(const char *name);
bool igt_mmap_path_applies(const struct igt_mmap_path *path,
			   const struct igt_drm_dev *dev);

struct igt_bo_map {
	void *ptr;
	size_t len;
};

/* 0 or -errno; on failure nothing is left and bo->failed_step is set */
int igt_bo_alloc(const struct igt_mmap_path *path,
		 const struct igt_drm_dev *dev, size_t size,
		 struct igt_bo *bo);
/*
 * What a failed igt_bo_alloc() means: true if the path does not exist
 * on this device or kernel (skip), false if the test is wrong (fail);
 * @why says which and why.
 */
bool igt_bo_alloc_not_here(const struct igt_mmap_path *path,
			   const struct igt_bo *bo, int err, char *why,
			   size_t len);
void igt_bo_release(const struct igt_mmap_path *path, struct igt_bo *bo);
int igt_bo_mmap(const struct igt_bo *bo, size_t align, int map_flags,
		struct igt_bo_map *map);
void igt_bo_munmap(struct igt_bo_map *map);

/*
 * The generic steps, for rows whose own functions do part of the work.
 * @extra ends at its first empty entry, as a row's sets do.
 */
int igt_bo_ioctl_run(const struct igt_bo_ioctl *io,
		     const struct igt_bo_set *extra, struct igt_bo *bo,
		     size_t size);
void igt_bo_desc(struct igt_bo *bo, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void igt_bo_gem_close(struct igt_bo *bo);
size_t igt_page_size(void);

#endif /* IGT_MMAP_PATH_H */
