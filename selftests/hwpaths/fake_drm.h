/* SPDX-License-Identifier: MIT */
/*
 * A fake DRM device for the hardware paths' unit tests, as an LD_PRELOAD
 * shim (fake_drm.so): open() of FAKE_DRM_NODE returns a descriptor whose
 * ioctls and mmaps the shim answers and records. The test finds the
 * shim's state with dlsym(RTLD_DEFAULT, "fake_drm_state").
 */
#ifndef FAKE_DRM_H
#define FAKE_DRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FAKE_DRM_NODE "/fake-dri/card0"
/* the render node, as the device's sysfs uevent names it (DEVNAME) */
#define FAKE_DRM_RENDER "/dev/fake-dri/renderD128"
/* char device numbers of the fake nodes: 240 is for local/experimental
 * use (Documentation/admin-guide/devices.txt), so no real sysfs entry
 * /sys/dev/char/240:N of a DRM device can be read by mistake */
#define FAKE_DRM_MAJOR 240
#define FAKE_DRM_RENDER_MINOR 128
#define FAKE_DRM_ARG_MAX 256
#define FAKE_DRM_MAX_CALLS 64
#define FAKE_DRM_MAX_MMAPS 16
#define FAKE_DRM_MAX_HANDLES 64

struct fake_drm_call {
	unsigned long req;
	unsigned int size;		/* _IOC_SIZE(req) */
	int ret;
	int err;			/* errno when ret < 0 */
	bool render;			/* made on the render node */
	bool injected;			/* the failure was fake_drm_state.fail_at */
	/* aligned: the test reads them back as the uAPI structures */
	unsigned char in[FAKE_DRM_ARG_MAX]	/* argument as passed */
		__attribute__((aligned(8)));
	unsigned char out[FAKE_DRM_ARG_MAX]	/* argument as returned */
		__attribute__((aligned(8)));
};

struct fake_drm_mmap {
	void *addr;
	size_t len;
	int prot;
	int flags;
	off_t offset;
	uint32_t handle;		/* the object the offset belongs to */
};

struct fake_drm_bo {
	bool live;
	uint64_t size;
	uint64_t offset;		/* its fake mmap offset */
	uint32_t create_req_nr;		/* _IOC_NR of the ioctl that made it */
	uint64_t domains;		/* amdgpu/radeon: what it was made in */
	uint64_t flags;
};

struct fake_drm_state {
	/* the device: set by the test before open() or between calls */
	char driver[32];
	bool i915_discrete;		/* a device-memory region exists */
	bool i915_aperture;		/* MMAP_GTT(0) says ENOENT, not ENODEV */
	bool i915_legacy_mmap;		/* GEM_MMAP(0) says ENOENT, not EOPNOTSUPP */
	int i915_mmap_gtt_version;
	bool xe_vram;			/* a VRAM region exists */
	uint32_t xe_min_page_size;	/* of the VRAM region */
	bool vc4_3d;			/* vc4 with 3D: SYNCOBJ cap (not a Pi 4+) */
	bool has_render;		/* sysfs shows a renderD node */
	bool authenticated;		/* the primary node passes DRM_AUTH */
	long page_size;			/* sysconf(_SC_PAGESIZE); 0: the real one */

	/* error injection: the fail_at-th ioctl after reset fails */
	int fail_at;			/* 1-based; 0: none */
	int fail_errno;

	/* the record, cleared by fake_drm_reset() */
	int fd;				/* the open fake primary node, -1 */
	int render_fd;			/* the open fake render node, -1 */
	int ncalls;
	struct fake_drm_call calls[FAKE_DRM_MAX_CALLS];
	int nmmaps;
	struct fake_drm_mmap mmaps[FAKE_DRM_MAX_MMAPS];
	int bad_mmaps;			/* offsets that matched no live object */
	int bad_closes;			/* closes of handles not live */
	struct fake_drm_bo bos[FAKE_DRM_MAX_HANDLES];	/* by handle */
};

/* exported by the shim */
struct fake_drm_state *fake_drm_state(void);
void fake_drm_reset(void);		/* log, objects, injection */
int fake_drm_live_objects(void);

#endif /* FAKE_DRM_H */
