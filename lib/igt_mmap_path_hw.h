/* SPDX-License-Identifier: MIT */
/*
 * The functions the hardware drivers' rows of igt_mmap_paths[]
 * (lib/igt_mmap_path.c) name, where data cannot say it: capability
 * probes (applies), creations of more than one ioctl (create_fn), the
 * i915 legacy mapping (offset_fn, release) and the questions that tell
 * where a buffer was placed (where). Each returns what the field of
 * struct igt_mmap_path it is named in returns: 0 or -errno for
 * create_fn/offset_fn, with bo->failed_step set on failure.
 */
#ifndef IGT_MMAP_PATH_HW_H
#define IGT_MMAP_PATH_HW_H

#include "igt_mmap_path.h"

bool igt_hw_i915_gtt_applies(const struct igt_drm_dev *dev);
bool igt_hw_i915_offset_applies(const struct igt_drm_dev *dev);
bool igt_hw_i915_fixed_applies(const struct igt_drm_dev *dev);
bool igt_hw_i915_legacy_applies(const struct igt_drm_dev *dev);
int igt_hw_i915_lmem_create(const struct igt_mmap_path *path, size_t size,
			    struct igt_bo *bo);
int igt_hw_i915_legacy_map(const struct igt_mmap_path *path,
			   struct igt_bo *bo);
void igt_hw_i915_legacy_release(struct igt_bo *bo);

bool igt_hw_xe_system_applies(const struct igt_drm_dev *dev);
bool igt_hw_xe_vram_applies(const struct igt_drm_dev *dev);
/* the region class is the row's param */
int igt_hw_xe_create(const struct igt_mmap_path *path, size_t size,
		     struct igt_bo *bo);

void igt_hw_amdgpu_where(struct igt_bo *bo);
void igt_hw_radeon_where(struct igt_bo *bo);

bool igt_hw_vc4_applies(const struct igt_drm_dev *dev);
void igt_hw_vmwgfx_release(struct igt_bo *bo);

#endif /* IGT_MMAP_PATH_HW_H */
