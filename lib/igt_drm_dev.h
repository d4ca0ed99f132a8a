/* SPDX-License-Identifier: MIT */
/*
 * What this suite needs to know about an open DRM device: its driver's
 * name (DRM_IOCTL_VERSION), its node, and the capabilities that decide
 * which mmap paths apply.
 */
#ifndef IGT_DRM_DEV_H
#define IGT_DRM_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct igt_drm_dev {
	int fd;
	char node[32];		/* "card1" */
	int render_fd;		/* its render node, -1 if none was found */
	char render_node[32];	/* "renderD128", "" */
	char driver[32];	/* "virtio_gpu" */
	char name[80];		/* "virtio_gpu-card1": dynamic subtest name */
	bool has_dumb;
	bool can_export;
	char module[64];	/* its kernel module, '-' as '_': "bochs" */
	bool ttm;		/* the module uses ttm, maybe through helpers */
	char ttm_chain[256];	/* how: "ttm <- drm_vram_helper <- bochs" */
};

int igt_drm_open_existing(int idx, unsigned int chipset);

/*
 * Fills @dev for the DRM file @fd (a primary node) and opens the
 * device's render node, if it has one, for buffer ioctls: 0 or -errno.
 * igt_drm_dev_close() closes what it opened (not @fd).
 */
int igt_drm_dev_describe(int fd, struct igt_drm_dev *dev);
void igt_drm_dev_close(struct igt_drm_dev *dev);
bool igt_module_holder_chain(const char *used, const char *module,
			     char *chain, size_t len);

int igt_drm_ioctl(int fd, unsigned long request, void *arg);
void igt_drm_gem_close(int fd, uint32_t handle);

#endif /* IGT_DRM_DEV_H */
