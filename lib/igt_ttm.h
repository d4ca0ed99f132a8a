/* SPDX-License-Identifier: MIT */
/*
 * TTM drivers, their placements and how to move a buffer between them.
 *
 * A placement is named generically ("vram", "surface", "gtt", "system")
 * and reached through each driver's own uAPI: one table row per (driver,
 * placement). The rows of hardware drivers (amdgpu, radeon, nouveau, xe)
 * are written from their uAPI headers and are not exercised on QEMU's
 * virtual hardware.
 */
#ifndef IGT_TTM_H
#define IGT_TTM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xf86drmMode.h>

#include "igt_drm_dev.h"
#include "igt_mmap_path.h"

/* Why a device is, or is not, a TTM device on the running kernel. */
struct igt_ttm_detection {
	bool ttm;
	char module[64];	/* the driver's kernel module */
	char why[400];
};

void igt_ttm_detect(const struct igt_drm_dev *dev,
		    struct igt_ttm_detection *det);
void igt_ttm_holders(char *buf, size_t len);

/* A TTM device and what the test found out about it. */
struct igt_ttm_dev {
	const struct igt_drm_dev *drm;
	struct igt_ttm_detection det;
	int minor;			/* /sys/kernel/debug/dri/<minor> */
	/* scanout, for drivers that pin a framebuffer to VRAM */
	bool kms_probed;
	bool can_scanout;
	char no_scanout[160];
	uint32_t crtc_id;
	uint32_t conn_id;
	drmModeModeInfo mode;
	drmModeCrtc *saved_crtc;
};

/* The used nodes of a TTM range manager, as its debugfs file lists them. */
struct igt_ttm_mm_node {
	uint64_t start;		/* in the manager's units (pages) */
	uint64_t size;
};

struct igt_ttm_mm {
	char path[160];
	uint64_t total;		/* "total:" line; 0 when absent */
	uint64_t used;
	uint64_t max_hole;	/* largest free range */
	int num_nodes;
	struct igt_ttm_mm_node nodes[1024];
};

struct igt_ttm_bo;

struct igt_ttm_placement {
	const char *driver;	/* DRM driver name (DRM_IOCTL_VERSION) */
	const char *name;	/* generic placement name: subtest prefix */
	const char *domain;	/* the driver's words for it, for the log */
	const char *mm_file;	/* debugfs file of its TTM manager, or NULL */
	bool hardware;		/* not exercised on QEMU's virtual hardware */
	bool iomem;		/* device memory: TTM's access() needs a hook */
	/*
	 * The driver's ttm_device_funcs.access_memory, as /proc/kallsyms
	 * names it (NULL: none in any kernel), and since when.
	 */
	const char *access_fn;
	const char *access_since;
	const char *no_alloc;	/* the uAPI cannot ask for it: why */
	const char *no_move;	/* no move mechanism: why */
	/* the mmap path (igt_mmap_paths[]) that makes its buffers */
	const char *path;
	/* instead of the path's own allocation (qxl and bochs track the
	 * buffer's node in debugfs, to prove a move later) */
	int (*alloc)(struct igt_ttm_dev *tdev, size_t size,
		     struct igt_ttm_bo *tbo);
	void (*release)(struct igt_ttm_bo *tbo);
	/* 0: moved, @proof says how we know; -EOPNOTSUPP/-ENOSPC...: @proof
	 * says why not */
	int (*move)(struct igt_ttm_bo *tbo, char *proof, size_t len);
};

struct igt_ttm_bo {
	struct igt_bo bo;	/* handle, map_fd, map_offset, size, desc */
	struct igt_ttm_dev *tdev;
	const struct igt_ttm_placement *pl;
	uint32_t fb_id;		/* framebuffer, when scanned out */
	uint32_t fb_width;	/* dumb buffer geometry, for the framebuffer */
	uint32_t fb_height;
	uint32_t fb_pitch;
	bool on_crtc;
	/* the buffer's node in its manager (mm_file), where it was seen */
	bool node_known;
	struct igt_ttm_mm_node node;
	char where[320];	/* how we know where it was placed, or "" */
};

extern const struct igt_ttm_placement igt_ttm_placements[];
extern const unsigned int igt_ttm_num_placements;
extern const char *const igt_ttm_placement_names[];
extern const unsigned int igt_ttm_num_placement_names;

const struct igt_ttm_placement *igt_ttm_placement_find(const char *driver,
							const char *name);
bool igt_ttm_driver_known(const char *driver);

void igt_ttm_dev_init(struct igt_ttm_dev *tdev,
		      const struct igt_drm_dev *drm);
void igt_ttm_dev_fini(struct igt_ttm_dev *tdev);

/* whether the placement's driver has an access_memory hook here: @why */
bool igt_ttm_access_hook(const struct igt_ttm_placement *pl, char *why,
			 size_t len);

int igt_ttm_bo_alloc(struct igt_ttm_dev *tdev,
		     const struct igt_ttm_placement *pl, size_t size,
		     struct igt_ttm_bo *tbo);
/* igt_bo_alloc_not_here() for a failed igt_ttm_bo_alloc() */
bool igt_ttm_bo_alloc_not_here(const struct igt_ttm_bo *tbo, int err,
			       char *why, size_t len);
void igt_ttm_bo_release(struct igt_ttm_bo *tbo);
int igt_ttm_bo_move(struct igt_ttm_bo *tbo, char *proof, size_t len);

int igt_ttm_mm_read(const struct igt_ttm_dev *tdev, const char *file,
		    struct igt_ttm_mm *mm);
int igt_ttm_mm_parse(const char *text, struct igt_ttm_mm *mm);
bool igt_ttm_mm_has(const struct igt_ttm_mm *mm,
		    const struct igt_ttm_mm_node *node);
int igt_ttm_mm_new_node(const struct igt_ttm_mm *before,
			const struct igt_ttm_mm *after, uint64_t size,
			struct igt_ttm_mm_node *node);

#endif /* IGT_TTM_H */
