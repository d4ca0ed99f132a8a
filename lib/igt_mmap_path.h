/* SPDX-License-Identifier: MIT */
/*
 * The ways user space gets a CPU mapping of a buffer object, one table
 * entry each: which devices it applies to, how to allocate a buffer for
 * it, and whether the pages behind it belong to the driver (the verdict
 * applies) or to core mm by design (the verdict is informational).
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

struct igt_bo {
	const struct igt_drm_dev *dev;
	uint32_t handle;
	int map_fd;		/* what mmap() is called on */
	off_t map_offset;
	int dmabuf_fd;		/* -1 unless exported */
	size_t size;
	char desc[128];		/* placement, caching: for the log */
};

struct igt_mmap_path {
	const char *name;	/* subtest prefix: "dumb", "qxl-vram" */
	const char *summary;
	const char *uapi;	/* the ioctls it uses */
	enum igt_mmap_owner owner;
	const char *owner_why;
	bool (*applies)(const struct igt_drm_dev *dev);
	int (*alloc)(const struct igt_drm_dev *dev, size_t size,
		     struct igt_bo *bo);
	void (*release)(struct igt_bo *bo);
	/*
	 * Optional: what the driver says it installed for @bo (the canary
	 * can say), into @buf; false when the mapping lacks the entries the
	 * path exists to test (a huge path without a huge entry).
	 */
	bool (*installed)(const struct igt_bo *bo, char *buf, size_t len);
};

extern const struct igt_mmap_path igt_mmap_paths[];
extern const unsigned int igt_mmap_num_paths;

const struct igt_mmap_path *igt_mmap_path_by_name(const char *name);

struct igt_bo_map {
	void *ptr;
	size_t len;
};

int igt_bo_alloc(const struct igt_mmap_path *path,
		 const struct igt_drm_dev *dev, size_t size,
		 struct igt_bo *bo);
void igt_bo_release(const struct igt_mmap_path *path, struct igt_bo *bo);
int igt_bo_mmap(const struct igt_bo *bo, size_t align, int map_flags,
		struct igt_bo_map *map);
void igt_bo_munmap(struct igt_bo_map *map);

#endif /* IGT_MMAP_PATH_H */
