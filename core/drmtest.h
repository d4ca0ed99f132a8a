/* SPDX-License-Identifier: MIT */
/*
 * Minimal stand-in for IGT's lib/drmtest.h: opening DRM devices with
 * --device / IGT_DEVICE filters.  Never loads kernel modules.
 */
#ifndef DRMTEST_H
#define DRMTEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt_core.h"
#include "ioctl_wrappers.h"

#define DRIVER_INTEL	(1 << 0)
#define DRIVER_VC4	(1 << 1)
#define DRIVER_VGEM	(1 << 2)
#define DRIVER_AMDGPU	(1 << 3)
#define DRIVER_V3D	(1 << 4)
#define DRIVER_PANFROST	(1 << 5)
#define DRIVER_MSM	(1 << 6)
#define DRIVER_XE	(1 << 7)
#define DRIVER_VMWGFX	(1 << 8)
#define DRIVER_VKMS	(1 << 9)
#define DRIVER_VIRTIO	(1 << 10)
#define DRIVER_PANTHOR	(1 << 11)
#define DRIVER_ASAHI	(1 << 12)
#define DRIVER_POWERVR	(1 << 13)

/* virtual drivers are only opened when asked for explicitly */
#define DRIVER_ANY	~(DRIVER_VGEM | DRIVER_VKMS | DRIVER_VIRTIO)

#define ALIGN(v, a) (((v) + ((typeof(v))(a) - 1)) & ~((typeof(v))(a) - 1))
#define ALIGN_DOWN(v, a) ((v) & ~((typeof(v))(a) - 1))
#define IS_ALIGNED(v, a) (((v) & ((typeof(v))(a) - 1)) == 0)

int __get_drm_device_name(int fd, char *name, int name_size);
unsigned int drm_get_chipset(int fd);

int __drm_open_device(const char *name, unsigned int chipset);
int __drm_open_driver_another(int idx, int chipset);
int __drm_open_driver(int chipset);
int __drm_open_driver_render(int chipset);
int drm_open_driver_another(int idx, int chipset);
int drm_open_driver(int chipset);
int drm_open_driver_render(int chipset);
int __drm_close_driver(int fd);
int drm_close_driver(int fd);

bool is_amdgpu_device(int fd);
bool is_i915_device(int fd);
bool is_xe_device(int fd);
bool is_intel_device(int fd);
bool is_msm_device(int fd);
bool is_vc4_device(int fd);
bool is_vgem_device(int fd);
bool is_virtio_device(int fd);
bool is_vkms_device(int fd);
bool is_nouveau_device(int fd);

void igt_require_intel(int fd);
void igt_require_i915(int fd);
void igt_require_xe(int fd);
void igt_require_amdgpu(int fd);
void igt_require_vgem(int fd);

#define do_or_die(x) igt_assert((x) == 0)

#define do_ioctl(fd, ioc, ioc_data) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), 0); \
	errno = 0; \
} while (0)

#define do_ioctl_err(fd, ioc, ioc_data, err) do { \
	igt_assert_eq(igt_ioctl((fd), (ioc), (ioc_data)), -1); \
	igt_assert_eq(errno, err); \
	errno = 0; \
} while (0)

#endif /* DRMTEST_H */
