// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drmtest.h"
#include "igt_core.h"
#include "igt_device_scan.h"
#include "igt_drm_dev.h"

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* the N of every /dev/dri/cardN there is, ascending; their count */
static int existing_cards(int *minors, int max)
{
	struct dirent *de;
	DIR *d = opendir("/dev/dri");
	int n = 0;

	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		char *end;
		long minor;

		if (strncmp(de->d_name, "card", 4) || !isdigit(de->d_name[4]))
			continue;
		minor = strtol(de->d_name + 4, &end, 10);
		if (*end || minor > INT_MAX)
			continue;
		minors[n++] = minor;
	}
	closedir(d);
	qsort(minors, n, sizeof(*minors), cmp_int);
	return n;
}

/*
 * igt_drm_open_existing: open the @idx-th DRM device of @chipset (IGT's
 * DRIVER_* bits) among the devices that exist, or return -1.
 *
 * Without --device/IGT_DEVICE filters: the @idx-th /dev/dri/cardN
 * (ascending N) that opens and whose driver @chipset covers. With
 * filters: the card the @idx-th filter matches, and -1 past the last
 * filter, so that a run is limited to the devices it names.
 *
 * Unlike IGT's __drm_open_driver_another(), which modprobes every driver
 * of @chipset when the devices run out (drm_load_module()), this never
 * loads a kernel module, whichever lib it is built against: it only calls
 * __drm_open_device() and igt_device_card_match(), which do not either.
 */
int igt_drm_open_existing(int idx, unsigned int chipset)
{
	int minors[64], n, seen = 0;

	if (idx < 0)
		return -1;

	if (igt_device_filter_count() > 0) {
		struct igt_device_card card;
		const char *filter;

		if (idx >= igt_device_filter_count())
			return -1;
		filter = igt_device_filter_get(idx);
		if (!igt_device_card_match(filter, &card) || !card.card[0]) {
			igt_warn("No card matches the filter! [%s]\n", filter);
			return -1;
		}
		return __drm_open_device(card.card, chipset);
	}

	n = existing_cards(minors, ARRAY_SIZE(minors));
	for (int i = 0; i < n; i++) {
		char path[32];
		int fd;

		snprintf(path, sizeof(path), "/dev/dri/card%d", minors[i]);
		fd = __drm_open_device(path, chipset);
		if (fd < 0)
			continue;
		if (seen++ == idx)
			return fd;
		close(fd);
	}
	return -1;
}

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

static bool holder_walk(const char *from, const char *module, int depth,
			char *chain, size_t len)
{
	char dir[PATH_MAX];
	size_t used = strlen(chain);
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/module/%.200s/holders", from);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		chain[used] = '\0';
		snprintf(chain + used, len - used, " <- %.60s", de->d_name);
		found = !strcmp(de->d_name, module) ||
			(depth < 3 && holder_walk(de->d_name, module, depth + 1,
						  chain, len));
	}
	closedir(d);
	if (!found)
		chain[used] = '\0';
	return found;
}

/*
 * Whether @module uses @used, directly or through helpers, from the
 * modules' holders in sysfs; @chain gets "used <- helper <- module".
 */
bool igt_module_holder_chain(const char *used, const char *module,
			     char *chain, size_t len)
{
	snprintf(chain, len, "%s", used);
	return holder_walk(used, module, 0, chain, len);
}

int igt_drm_ioctl(int fd, unsigned long request, void *arg)
{
	int r;

	do {
		r = ioctl(fd, request, arg);
	} while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r < 0 ? -errno : 0;
}

void igt_drm_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	if (handle)
		igt_drm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* module names use '_' where the driver may print '-' */
static void module_name(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%.63s", name);
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
}

/*
 * A driver is a TTM driver when its module uses ttm, directly or through
 * a helper (bochs -> drm_vram_helper -> ttm): ttm's holders, followed
 * transitively. The module's name is read from the device's sysfs link
 * rather than guessed from the DRM driver name (bochs-drm's module is
 * bochs or bochs_drm, cirrus may be cirrus-qemu). That link names the
 * driver of the DRM device's parent, which is the DRM driver's module
 * only when the DRM driver binds the parent itself: virtio_gpu's parent
 * may be the PCI function, bound by virtio_pci. A module that does not
 * use drm is such a bus driver; then the DRM driver's own name is taken
 * where a module of that name is loaded.
 */
static void describe_module(struct igt_drm_dev *dev)
{
	char path[PATH_MAX], target[PATH_MAX], own[64], chain[256];
	const char *mod;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/drm/%.64s/device/driver/module",
		 dev->node);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		mod = strrchr(target, '/');
		mod = mod ? mod + 1 : target;
	} else {
		mod = dev->driver;	/* vgem and other platform-less drivers */
	}
	module_name(dev->module, sizeof(dev->module), mod);
	module_name(own, sizeof(own), dev->driver);
	snprintf(path, sizeof(path), "/sys/module/%s", own);
	if (strcmp(own, dev->module) && !access(path, F_OK) &&
	    !igt_module_holder_chain("drm", dev->module, chain, sizeof(chain)))
		snprintf(dev->module, sizeof(dev->module), "%s", own);
	dev->ttm = igt_module_holder_chain("ttm", dev->module, dev->ttm_chain,
					   sizeof(dev->ttm_chain));
}

/*
 * Drivers without KMS (vgem) implement dumb buffers but refuse the
 * capability query itself, so ask by creating one.
 */
static bool can_create_dumb(int fd)
{
	struct drm_mode_create_dumb c = { .width = 1, .height = 1, .bpp = 32 };
	struct drm_mode_destroy_dumb d = {};

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return false;
	d.handle = c.handle;
	drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	return true;
}

/* "DEVNAME=dri/renderD128" from a sysfs uevent file, as a /dev path */
static bool uevent_devname(const char *uevent, char *dev, size_t len)
{
	char buf[512], *p;
	ssize_t n;
	int fd;

	fd = open(uevent, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "DEVNAME=");
	if (!p)
		return false;
	p += strlen("DEVNAME=");
	p[strcspn(p, "\n")] = '\0';
	snprintf(dev, len, "/dev/%s", p);
	return true;
}

/*
 * The render node of the device behind a primary node, found as IGT
 * does: the character device's sysfs directory, its device's drm/
 * directory, the renderD<N> entry there. Render nodes accept the
 * DRM_RENDER_ALLOW ioctls without DRM master authentication, which a
 * primary node needs for DRM_AUTH ones while a compositor runs.
 */
static void open_render_node(struct igt_drm_dev *dev)
{
	char dir[96], uevent[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int dfd;

	if (fstat(dev->fd, &st) || !S_ISCHR(st.st_mode))
		return;
	snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/drm",
		 major(st.st_rdev), minor(st.st_rdev));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while (dev->render_fd < 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(uevent, sizeof(uevent), "%s/%.64s/uevent", dir,
			 de->d_name);
		if (!uevent_devname(uevent, path, sizeof(path)))
			continue;
		dev->render_fd = open(path, O_RDWR | O_CLOEXEC);
		if (dev->render_fd >= 0)
			snprintf(dev->render_node, sizeof(dev->render_node),
				 "%.31s", de->d_name);
	}
	closedir(d);
}

void igt_drm_dev_close(struct igt_drm_dev *dev)
{
	if (dev->render_fd >= 0)
		close(dev->render_fd);
	dev->render_fd = -1;
	dev->render_node[0] = '\0';
}

int igt_drm_dev_describe(int fd, struct igt_drm_dev *dev)
{
	drmVersionPtr v;
	uint64_t cap;

	memset(dev, 0, sizeof(*dev));
	dev->fd = fd;
	dev->render_fd = -1;
	node_of_fd(fd, dev->node, sizeof(dev->node));

	v = drmGetVersion(fd);
	if (!v)
		return -errno ? -errno : -ENODEV;
	snprintf(dev->driver, sizeof(dev->driver), "%s", v->name);
	drmFreeVersion(v);

	snprintf(dev->name, sizeof(dev->name), "%s-%s", dev->driver,
		 dev->node);
	sanitize(dev->name);

	dev->has_dumb = !drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &cap) ? cap :
			can_create_dumb(fd);
	dev->can_export = !drmGetCap(fd, DRM_CAP_PRIME, &cap) &&
			  (cap & DRM_PRIME_CAP_EXPORT);
	describe_module(dev);
	open_render_node(dev);
	return 0;
}
