// SPDX-License-Identifier: MIT
/*
 * Opening DRM devices, IGT style, plus the --device / IGT_DEVICE filters.
 *
 * Unlike upstream IGT this never loads kernel modules: a device that is not
 * there makes drm_open_driver() skip.  See core/README.md.
 */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <drm.h>
#include <xf86drm.h>

#define IGT_LOG_DOMAIN "drmtest"
#include "drmtest.h"
#include "igt_device_scan.h"

int (*igt_ioctl)(int fd, unsigned long request, void *arg) = drmIoctl;

/* ---- device filters ---- */

#define MAX_FILTERS	64
#define FILTER_LEN	256

static char filters[MAX_FILTERS][FILTER_LEN];
static int filter_count;
static int last_failed_filter = -1;

static const struct {
	const char *name;
	unsigned int id;
} vendor_aliases[] = {
	{ "intel", 0x8086 },
	{ "amd", 0x1002 },
	{ "nvidia", 0x10de },
	{ "vmware", 0x15ad },
	{ "virtio", 0x1af4 },
};

struct pci_filter {
	long vendor;	/* -1: any */
	long device;	/* -1: any */
	int card;
	char slot[64];
};

static bool parse_hex_or_alias(const char *s, size_t len, long *out)
{
	char buf[32], *end;
	unsigned int i;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';

	for (i = 0; i < ARRAY_SIZE(vendor_aliases); i++) {
		if (!strcasecmp(buf, vendor_aliases[i].name)) {
			*out = vendor_aliases[i].id;
			return true;
		}
	}

	*out = strtol(buf, &end, 16);
	return *end == '\0' && *out >= 0 && *out <= 0xffff;
}

static bool parse_pci_filter(const char *data, struct pci_filter *pf)
{
	const char *p = data;

	pf->vendor = -1;
	pf->device = -1;
	pf->card = 0;
	pf->slot[0] = '\0';

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen, vlen;
		const char *v;

		if (!eq)
			return false;
		klen = eq - p;
		v = eq + 1;
		vlen = len - klen - 1;

		if (klen == 6 && !strncmp(p, "vendor", 6)) {
			if (!parse_hex_or_alias(v, vlen, &pf->vendor))
				return false;
		} else if (klen == 6 && !strncmp(p, "device", 6)) {
			if (!parse_hex_or_alias(v, vlen, &pf->device))
				return false;
		} else if (klen == 4 && !strncmp(p, "card", 4)) {
			char buf[16], *end;

			if (!vlen || vlen >= sizeof(buf))
				return false;
			memcpy(buf, v, vlen);
			buf[vlen] = '\0';
			pf->card = strtol(buf, &end, 10);
			if (*end || pf->card < 0)
				return false;
		} else if (klen == 4 && !strncmp(p, "slot", 4)) {
			if (!vlen || vlen >= sizeof(pf->slot))
				return false;
			memcpy(pf->slot, v, vlen);
			pf->slot[vlen] = '\0';
		} else {
			return false;
		}

		p += len;
		if (*p == ',')
			p++;
	}

	return true;
}

static bool filter_valid(const char *f)
{
	struct pci_filter pf;

	if (!strncmp(f, "drm:", 4)) {
		if (strncmp(f + 4, "/dev/dri/", 9)) {
			igt_warn("Filter not valid [drm:%s]\n", f + 4);
			return false;
		}
		return true;
	}
	if (!strncmp(f, "sys:", 4)) {
		if (strncmp(f + 4, "/sys/", 5)) {
			igt_warn("Filter not valid [sys:%s]\n", f + 4);
			return false;
		}
		return true;
	}
	if (!strncmp(f, "pci:", 4)) {
		if (!parse_pci_filter(f + 4, &pf)) {
			igt_warn("Filter not valid [pci:%s]\n", f + 4);
			return false;
		}
		return true;
	}

	igt_warn("No filter class matching [%s]\n", f);
	return false;
}

int igt_device_filter_add(const char *list)
{
	char *copy = strdup(list), *cur = copy, *f;
	int added = 0;

	if (!copy)
		return 0;

	while ((f = strsep(&cur, ";"))) {
		bool valid = filter_valid(f);

		igt_warn_on(!valid);
		if (!valid || filter_count >= MAX_FILTERS)
			continue;
		snprintf(filters[filter_count++], FILTER_LEN, "%s", f);
		added++;
	}

	free(copy);
	return added;
}

int igt_device_filter_count(void)
{
	return filter_count;
}

const char *igt_device_filter_get(int num)
{
	if (num < 0 || num >= filter_count)
		return NULL;
	return filters[num];
}

void igt_device_filter_free_all(void)
{
	filter_count = 0;
}

/* ---- device enumeration ---- */

struct drm_card {
	int minor;
	char devpath[PATH_MAX];	/* realpath of /sys/class/drm/cardN/device */
};

static int read_sysfs_hex(const char *devpath, const char *attr, long *out)
{
	char path[PATH_MAX + 32], buf[32];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", devpath, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	*out = strtol(buf, NULL, 16);
	return 0;
}

static int cmp_cards(const void *a, const void *b)
{
	const struct drm_card *ca = a, *cb = b;
	int r = strcmp(ca->devpath, cb->devpath);

	return r ? r : ca->minor - cb->minor;
}

/* cardN nodes found in sysfs, sorted by device path (then minor) */
static int scan_cards(struct drm_card *cards, int max)
{
	DIR *dir = opendir("/sys/class/drm");
	struct dirent *de;
	int n = 0;

	if (!dir)
		return 0;

	while ((de = readdir(dir)) && n < max) {
		char link[PATH_MAX];
		char *end;
		long minor;

		if (strncmp(de->d_name, "card", 4))
			continue;
		minor = strtol(de->d_name + 4, &end, 10);
		if (end == de->d_name + 4 || *end)
			continue;	/* connectors: card0-HDMI-A-1 */

		snprintf(link, sizeof(link), "/sys/class/drm/%s/device",
			 de->d_name);
		if (!realpath(link, cards[n].devpath))
			cards[n].devpath[0] = '\0';
		cards[n].minor = minor;
		n++;
	}
	closedir(dir);

	qsort(cards, n, sizeof(*cards), cmp_cards);
	return n;
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* resolve a filter to a /dev/dri/cardN path */
static bool filter_to_card(const char *f, char *card, size_t size)
{
	struct drm_card cards[64];
	char want[PATH_MAX], link[PATH_MAX + 32];
	int n, i, seen = 0;

	if (!strncmp(f, "drm:", 4)) {
		const char *node = f + 4;
		struct stat st;

		if (stat(node, &st) || !S_ISCHR(st.st_mode))
			return false;
		if (!strncmp(basename_of(node), "card", 4)) {
			snprintf(card, size, "%s", node);
			return true;
		}

		/* a render node: find the card node of the same device */
		snprintf(link, sizeof(link), "/sys/class/drm/%s/device",
			 basename_of(node));
		if (!realpath(link, want))
			return false;
		n = scan_cards(cards, ARRAY_SIZE(cards));
		for (i = 0; i < n; i++) {
			if (!strcmp(cards[i].devpath, want)) {
				snprintf(card, size, "/dev/dri/card%d",
					 cards[i].minor);
				return true;
			}
		}
		return false;
	}

	n = scan_cards(cards, ARRAY_SIZE(cards));

	if (!strncmp(f, "sys:", 4)) {
		if (!realpath(f + 4, want))
			snprintf(want, sizeof(want), "%s", f + 4);
		for (i = 0; i < n; i++) {
			if (!strcmp(cards[i].devpath, want)) {
				snprintf(card, size, "/dev/dri/card%d",
					 cards[i].minor);
				return true;
			}
		}
		return false;
	}

	if (!strncmp(f, "pci:", 4)) {
		struct pci_filter pf;

		if (!parse_pci_filter(f + 4, &pf))
			return false;

		for (i = 0; i < n; i++) {
			long vendor, device;

			if (!cards[i].devpath[0] ||
			    read_sysfs_hex(cards[i].devpath, "vendor",
					   &vendor) ||
			    read_sysfs_hex(cards[i].devpath, "device",
					   &device))
				continue;	/* not a PCI device */
			if (pf.vendor >= 0 && vendor != pf.vendor)
				continue;
			if (pf.device >= 0 && device != pf.device)
				continue;
			if (pf.slot[0] &&
			    strcmp(basename_of(cards[i].devpath), pf.slot))
				continue;
			if (seen++ != pf.card)
				continue;
			snprintf(card, size, "/dev/dri/card%d",
				 cards[i].minor);
			return true;
		}
	}

	return false;
}

bool igt_device_card_match(const char *filter, struct igt_device_card *card)
{
	char path[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (!card)
		return false;
	memset(card, 0, sizeof(*card));
	if (!filter || !filter_to_card(filter, path, sizeof(path)))
		return false;
	snprintf(card->subsystem, sizeof(card->subsystem), "drm");
	snprintf(card->card, sizeof(card->card), "%.*s",
		 (int)sizeof(card->card) - 1, path);
	snprintf(link, sizeof(link), "/sys/class/drm/%.64s/device/driver",
		 basename_of(path));
	n = readlink(link, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		snprintf(card->driver, sizeof(card->driver), "%.*s",
			 (int)sizeof(card->driver) - 1, basename_of(target));
	}
	return true;
}

/* ---- opening ---- */

static const struct {
	const char *name;
	unsigned int bit;
} modules[] = {
	{ "amdgpu", DRIVER_AMDGPU },
	{ "asahi", DRIVER_ASAHI },
	{ "i915", DRIVER_INTEL },
	{ "msm", DRIVER_MSM },
	{ "panfrost", DRIVER_PANFROST },
	{ "panthor", DRIVER_PANTHOR },
	{ "powervr", DRIVER_POWERVR },
	{ "v3d", DRIVER_V3D },
	{ "vc4", DRIVER_VC4 },
	{ "vgem", DRIVER_VGEM },
	{ "virtio_gpu", DRIVER_VIRTIO },
	{ "vkms", DRIVER_VKMS },
	{ "vmwgfx", DRIVER_VMWGFX },
	{ "xe", DRIVER_XE },
};

int __get_drm_device_name(int fd, char *name, int name_size)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	v.name_len = name_size;
	v.name = name;

	return drmIoctl(fd, DRM_IOCTL_VERSION, &v) ? -1 : 0;
}

static unsigned int name_to_chipset(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (!strcmp(modules[i].name, name))
			return modules[i].bit;

	return DRIVER_ANY;
}

unsigned int drm_get_chipset(int fd)
{
	char name[32] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return DRIVER_ANY;

	return name_to_chipset(name);
}

static const char *chipset_to_str(int chipset)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(modules); i++)
		if (modules[i].bit == (unsigned int)chipset)
			return chipset == DRIVER_INTEL ? "intel" :
							 modules[i].name;

	return chipset == DRIVER_ANY ? "any" : "other";
}

int __drm_open_device(const char *name, unsigned int chipset)
{
	char dev_name[32] = "";
	unsigned int chip;
	int fd;

	fd = open(name, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;

	if (__get_drm_device_name(fd, dev_name, sizeof(dev_name) - 1))
		goto err;

	chip = name_to_chipset(dev_name);
	if ((chipset & chip) != chip)
		goto err;

	igt_debug("Opened device: %s\n", name);
	return fd;

err:
	close(fd);
	return -1;
}

/* the idx-th device node under base (ascending minor) matching chipset */
static int open_nth(const char *base, int offset, unsigned int chipset,
		    int idx)
{
	int i, fd;

	for (i = 0; i < 16; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%d", base, i + offset);
		fd = __drm_open_device(name, chipset);
		if (fd < 0)
			continue;
		if (idx-- == 0)
			return fd;
		close(fd);
	}

	return -1;
}

static bool use_filter(int idx, int chipset)
{
	/* as upstream: filters are not applied to vgem */
	return chipset != DRIVER_VGEM && igt_device_filter_count() > idx;
}

static int open_filtered(int idx, unsigned int chipset, bool render)
{
	const char *f = igt_device_filter_get(idx);
	char card[PATH_MAX];
	int fd;

	igt_debug("Looking for devices to open using filter %d: %s\n", idx, f);
	if (!filter_to_card(f, card, sizeof(card))) {
		igt_warn("No card matches the filter! [%s]\n", f);
		last_failed_filter = idx;
		return -1;
	}
	igt_debug("Filter matched %s\n", card);

	if (render) {
		char want[PATH_MAX], path[PATH_MAX + 64];
		DIR *dir;
		struct dirent *de;

		fd = -1;
		snprintf(path, sizeof(path), "/sys/class/drm/%s/device",
			 basename_of(card));
		dir = realpath(path, want) ? opendir("/sys/class/drm") : NULL;
		while (dir && (de = readdir(dir))) {
			char got[PATH_MAX];

			if (strncmp(de->d_name, "renderD", 7))
				continue;
			snprintf(path, sizeof(path),
				 "/sys/class/drm/%s/device", de->d_name);
			if (!realpath(path, got) || strcmp(got, want))
				continue;
			snprintf(path, sizeof(path), "/dev/dri/%s",
				 de->d_name);
			fd = __drm_open_device(path, chipset);
			break;
		}
		if (dir)
			closedir(dir);
		return fd;
	}

	fd = __drm_open_device(card, chipset);
	if (fd < 0)
		last_failed_filter = idx;
	return fd;
}

int __drm_open_driver_another(int idx, int chipset)
{
	if (idx < 0)
		return -1;

	if (use_filter(idx, chipset))
		return open_filtered(idx, chipset, false);

	return open_nth("/dev/dri/card", 0, chipset, idx);
}

int __drm_open_driver(int chipset)
{
	return __drm_open_driver_another(0, chipset);
}

int __drm_open_driver_render(int chipset)
{
	if (use_filter(0, chipset))
		return open_filtered(0, chipset, true);

	return open_nth("/dev/dri/renderD", 128, chipset, 0);
}

/* a macro, so that the skip names the caller like upstream does */
#define skip_no_device(fd, idx, chipset) do { \
	const char *__f = last_failed_filter == (idx) && \
			  use_filter((idx), (chipset)) ? \
			  igt_device_filter_get(idx) : NULL; \
	if (__f) \
		igt_skip_on_f(fd < 0, \
			      "No known gpu found for chipset flags 0x%u (%s)\n" \
			      "No usable device matches the filter [%s]\n", \
			      (chipset), chipset_to_str(chipset), __f); \
	else \
		igt_skip_on_f(fd < 0, \
			      "No known gpu found for chipset flags 0x%u (%s)\n", \
			      (chipset), chipset_to_str(chipset)); \
} while (0)

int drm_open_driver(int chipset)
{
	int fd;

	last_failed_filter = -1;
	fd = __drm_open_driver(chipset);
	skip_no_device(fd, 0, chipset);
	return fd;
}

int drm_open_driver_another(int idx, int chipset)
{
	int fd;

	last_failed_filter = -1;
	fd = __drm_open_driver_another(idx, chipset);
	skip_no_device(fd, idx, chipset);
	return fd;
}

int drm_open_driver_render(int chipset)
{
	int fd = __drm_open_driver_render(chipset);

	/* as upstream: fall back to the primary node */
	if (fd < 0)
		return drm_open_driver(chipset);

	return fd;
}

int __drm_close_driver(int fd)
{
	return close(fd);
}

int drm_close_driver(int fd)
{
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		igt_warn("Don't attempt to close an invalid fd: %d\n", fd);
		return -1;
	}

	return __drm_close_driver(fd);
}

/* ---- cheap driver checks ---- */

static bool is_device(int fd, const char *expect)
{
	char name[32] = "";

	if (__get_drm_device_name(fd, name, sizeof(name) - 1))
		return false;

	return !strcmp(name, expect);
}

bool is_amdgpu_device(int fd) { return is_device(fd, "amdgpu"); }
bool is_i915_device(int fd) { return is_device(fd, "i915"); }
bool is_xe_device(int fd) { return is_device(fd, "xe"); }
bool is_msm_device(int fd) { return is_device(fd, "msm"); }
bool is_vc4_device(int fd) { return is_device(fd, "vc4"); }
bool is_vgem_device(int fd) { return is_device(fd, "vgem"); }
bool is_virtio_device(int fd) { return is_device(fd, "virtio_gpu"); }
bool is_vkms_device(int fd) { return is_device(fd, "vkms"); }
bool is_nouveau_device(int fd) { return is_device(fd, "nouveau"); }

bool is_intel_device(int fd)
{
	return is_i915_device(fd) || is_xe_device(fd);
}

void igt_require_intel(int fd)
{
	igt_require(is_intel_device(fd));
}

void igt_require_i915(int fd)
{
	igt_require(is_i915_device(fd));
}

void igt_require_xe(int fd)
{
	igt_require(is_xe_device(fd));
}

void igt_require_amdgpu(int fd)
{
	igt_require(is_amdgpu_device(fd));
}

void igt_require_vgem(int fd)
{
	igt_require(is_vgem_device(fd));
}
