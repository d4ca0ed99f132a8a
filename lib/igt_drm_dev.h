/* SPDX-License-Identifier: MIT */
/*
 * What this suite needs to know about an open DRM device: its driver's
 * name (DRM_IOCTL_VERSION), its node, and the capabilities that decide
 * which mmap paths apply.
 */
#ifndef IGT_DRM_DEV_H
#define IGT_DRM_DEV_H

#include <stdbool.h>

struct igt_drm_dev {
	int fd;
	char node[32];		/* "card1" */
	char driver[32];	/* "virtio_gpu" */
	char name[80];		/* "virtio_gpu-card1": dynamic subtest name */
	bool has_dumb;
	bool can_export;
	bool ttm;		/* the driver's module holds a reference on ttm */
};

int igt_drm_dev_describe(int fd, struct igt_drm_dev *dev);
bool igt_drm_driver_uses_ttm(const char *node, const char *driver);

#endif /* IGT_DRM_DEV_H */
