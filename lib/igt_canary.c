// SPDX-License-Identifier: MIT
/*
 * The canary's side of the mmap-path table: one open file of
 * /dev/igt_canary per buffer, its mode given by IGT_CANARY_IOC_ALLOC
 * (canary/igt_canary_uapi.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "igt_canary.h"

/* set by the VM harness's /init when it did not load the module */
#define IGT_CANARY_ABSENT_ENV "IGT_CANARY_ABSENT"

static const char *const mode_names[] = {
	[IGT_CANARY_MODE_PAGE] = "page",
	[IGT_CANARY_MODE_PFN] = "pfn",
	[IGT_CANARY_MODE_MIXED_SPECIAL] = "mixed-special",
	[IGT_CANARY_MODE_HUGE_PMD] = "huge-pmd",
};

bool igt_canary_applies(const struct igt_drm_dev *dev)
{
	return !strcmp(dev->driver, IGT_CANARY_DRIVER);
}

int igt_canary_open(struct igt_drm_dev *dev)
{
	int fd = open(IGT_CANARY_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	memset(dev, 0, sizeof(*dev));
	dev->fd = fd;
	dev->render_fd = -1;
	snprintf(dev->node, sizeof(dev->node), "igt_canary");
	snprintf(dev->driver, sizeof(dev->driver), IGT_CANARY_DRIVER);
	/* the dynamic subtest, and so the matrix's driver column */
	snprintf(dev->name, sizeof(dev->name), IGT_CANARY_DRIVER);
	snprintf(dev->module, sizeof(dev->module), "igt_canary");
	return 0;
}

const char *igt_canary_absent_why(const struct igt_mmap_path *path)
{
	const char *why;

	if (path->applies != igt_canary_applies)
		return NULL;
	if (!access(IGT_CANARY_DEV, F_OK))
		return NULL;
	why = getenv(IGT_CANARY_ABSENT_ENV);
	return why && *why ? why :
	       IGT_CANARY_DEV " is absent: the igt_canary module is not "
	       "loaded (only the VM harness loads it)";
}

static int canary_alloc(enum igt_canary_mode mode, size_t size,
			struct igt_bo *bo)
{
	struct igt_canary_alloc a = { .mode = mode, .size = size };
	int fd = open(IGT_CANARY_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		bo->failed_step = IGT_CANARY_DEV;
		return -errno;
	}
	if (ioctl(fd, IGT_CANARY_IOC_ALLOC, &a)) {
		int err = errno;

		close(fd);
		bo->failed_step = "IGT_CANARY_IOC_ALLOC";
		return -err;
	}
	bo->handle = 1;		/* released by closing map_fd */
	bo->map_fd = fd;
	bo->map_offset = 0;
	bo->size = size;
	snprintf(bo->desc, sizeof(bo->desc), "canary %s buffer, %zu KiB",
		 mode_names[mode], size >> 10);
	return 0;
}

int igt_canary_page_alloc(const struct igt_mmap_path *path, size_t size,
			  struct igt_bo *bo)
{
	return canary_alloc(IGT_CANARY_MODE_PAGE, size, bo);
}

int igt_canary_pfn_alloc(const struct igt_mmap_path *path, size_t size,
			 struct igt_bo *bo)
{
	return canary_alloc(IGT_CANARY_MODE_PFN, size, bo);
}

int igt_canary_mixed_special_alloc(const struct igt_mmap_path *path,
				   size_t size, struct igt_bo *bo)
{
	return canary_alloc(IGT_CANARY_MODE_MIXED_SPECIAL, size, bo);
}

/* PMDs only: a size that is not whole 2 MiB blocks is refused (EINVAL). */
const struct igt_bo_errno igt_canary_huge_pmd_not_here[] = {
	{ EINVAL, "IGT_CANARY_IOC_ALLOC",
	  "the huge-pmd mode maps whole 2 MiB blocks only: this size is not offered" },
	{ 0 }
};

int igt_canary_huge_pmd_alloc(const struct igt_mmap_path *path, size_t size,
			      struct igt_bo *bo)
{
	return canary_alloc(IGT_CANARY_MODE_HUGE_PMD, size, bo);
}

void igt_canary_release(struct igt_bo *bo)
{
	if (bo->map_fd >= 0)
		close(bo->map_fd);
	bo->map_fd = -1;
}

/*
 * What the module says it installed for this buffer. A huge-pmd buffer
 * that holds no PMD is not what the path exists to test: false.
 */
bool igt_canary_installed(const struct igt_bo *bo, char *buf, size_t len)
{
	struct igt_canary_info info = {};

	if (ioctl(bo->map_fd, IGT_CANARY_IOC_INFO, &info)) {
		snprintf(buf, len, "canary: IGT_CANARY_IOC_INFO failed: %s",
			 strerror(errno));
		return false;
	}
	snprintf(buf, len,
		 "canary %s: %" PRIu64 " PMD(s) (%" PRIu64 " from .fault, %"
		 PRIu64 " .huge_fault call(s)), %" PRIu64 " PTE(s), %" PRIu64
		 " fault(s), %" PRIu64 " refused",
		 info.mode < sizeof(mode_names) / sizeof(mode_names[0]) &&
		 mode_names[info.mode] ? mode_names[info.mode] : "?",
		 (uint64_t)info.pmds, (uint64_t)info.pmds_from_fault,
		 (uint64_t)info.huge_faults, (uint64_t)info.ptes,
		 (uint64_t)info.faults, (uint64_t)info.refused);
	if (info.mode == IGT_CANARY_MODE_HUGE_PMD)
		return info.pmds > 0;
	return info.ptes > 0;
}
