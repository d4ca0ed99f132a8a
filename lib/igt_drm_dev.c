// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_drm_dev.h"

static void node_of_fd(int fd, char *node, size_t len)
{
	char link[64], path[PATH_MAX];
	ssize_t n;
	const char *base;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0) {
		snprintf(node, len, "fd%d", fd);
		return;
	}
	path[n] = '\0';
	base = strrchr(path, '/');
	snprintf(node, len, "%.31s", base ? base + 1 : path);
}

/* Dynamic subtest names may hold only [A-Za-z0-9_-]. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			*s = '_';
}

/*
 * A driver is a TTM driver when its module is among ttm's holders. The
 * driver's module name is read from the device's sysfs link rather than
 * guessed from the DRM driver name (bochs-drm is "bochs", cirrus may be
 * "cirrus-qemu").
 */
bool igt_drm_driver_uses_ttm(const char *node, const char *driver)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *mod;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/drm/%s/device/driver/module",
		 node);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		mod = strrchr(target, '/');
		mod = mod ? mod + 1 : target;
	} else {
		mod = driver;	/* vgem and other platform-less drivers */
	}
	snprintf(path, sizeof(path), "/sys/module/ttm/holders/%.200s", mod);
	if (!access(path, F_OK))
		return true;
	/* module names use '_' where the driver may print '-' */
	snprintf(target, sizeof(target), "%s", mod);
	for (char *p = target; *p; p++)
		if (*p == '-')
			*p = '_';
	snprintf(path, sizeof(path), "/sys/module/ttm/holders/%.200s", target);
	return !access(path, F_OK);
}

int igt_drm_dev_describe(int fd, struct igt_drm_dev *dev)
{
	drmVersionPtr v;
	uint64_t cap;

	memset(dev, 0, sizeof(*dev));
	dev->fd = fd;
	node_of_fd(fd, dev->node, sizeof(dev->node));

	v = drmGetVersion(fd);
	if (!v)
		return -errno ? -errno : -ENODEV;
	snprintf(dev->driver, sizeof(dev->driver), "%s", v->name);
	drmFreeVersion(v);

	snprintf(dev->name, sizeof(dev->name), "%s-%s", dev->driver,
		 dev->node);
	sanitize(dev->name);

	dev->has_dumb = !drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &cap) && cap;
	dev->can_export = !drmGetCap(fd, DRM_CAP_PRIME, &cap) &&
			  (cap & DRM_PRIME_CAP_EXPORT);
	dev->ttm = igt_drm_driver_uses_ttm(dev->node, dev->driver);
	return 0;
}
