/* SPDX-License-Identifier: MIT */
/*
 * The hardware drivers' own mmap paths (lib/igt_mmap_path_hw.c), listed
 * once here so that lib/igt_mmap_path.c can put them in igt_mmap_paths[]
 * after the generic ones: a const array cannot be assembled from two
 * files at run time, so the table is assembled by the preprocessor.
 *
 * Summaries are singular noun phrases: gem_mmap_gup describes each
 * subtest as "Path NAME (SUMMARY): ...".
 */
#ifndef IGT_MMAP_PATH_HW_H
#define IGT_MMAP_PATH_HW_H

#include "igt_mmap_path.h"

/* X(stem, name, summary, uapi, owner, owner_why) */
#define IGT_MMAP_HW_PATH_LIST(X) \
	X(i915_gtt, "i915-gtt", \
	  "GTT-mapped i915 buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP_GTT, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "i915 object seen through the GGTT aperture (device I/O memory)") \
	X(i915_offset_wb, "i915-offset-wb", \
	  "write-back i915 mmap-offset buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(WB), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "i915 object pages, inserted by the driver's fault handler") \
	X(i915_offset_wc, "i915-offset-wc", \
	  "write-combined i915 mmap-offset buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(WC), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "i915 object pages, inserted by the driver's fault handler") \
	X(i915_offset_uc, "i915-offset-uc", \
	  "non-cached (UC) i915 mmap-offset buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(UC), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "i915 object pages, inserted by the driver's fault handler") \
	X(i915_offset_fixed, "i915-offset-fixed", \
	  "fixed-mode i915 mmap-offset buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP_OFFSET(FIXED), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed i915 object (system memory on a discrete GPU)") \
	X(i915_lmem_fixed, "i915-lmem-fixed", \
	  "device-local (lmem) i915 buffer", \
	  "I915_QUERY(MEMORY_REGIONS), I915_GEM_CREATE_EXT(MEMORY_REGIONS, NEEDS_CPU_ACCESS), I915_GEM_MMAP_OFFSET(FIXED), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed i915 object in device memory (PCI BAR)") \
	X(i915_legacy_cpu, "i915-legacy-cpu", \
	  "shmem-backed i915 legacy CPU-mmap buffer", \
	  "I915_GEM_CREATE, I915_GEM_MMAP (vm_mmap of the object's shmem file), /proc/self/map_files, mmap(shmem file)", \
	  IGT_MMAP_OWNER_CORE_MM, \
	  "I915_GEM_MMAP maps the object's shmem file itself: its pages are ordinary page-cache pages that GUP may pin, as on any shmem mapping") \
	X(xe_system, "xe-system", \
	  "system-memory xe buffer", \
	  "XE_DEVICE_QUERY(MEM_REGIONS), XE_GEM_CREATE(sysmem, CPU_CACHING_WB), XE_GEM_MMAP_OFFSET, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed xe object in system memory") \
	X(xe_vram, "xe-vram", \
	  "CPU-visible VRAM xe buffer", \
	  "XE_DEVICE_QUERY(MEM_REGIONS), XE_GEM_CREATE(vram, NEEDS_VISIBLE_VRAM, CPU_CACHING_WC), XE_GEM_MMAP_OFFSET, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed xe object in VRAM (PCI BAR)") \
	X(amdgpu_vram, "amdgpu-vram", \
	  "CPU-visible VRAM amdgpu buffer", \
	  "AMDGPU_GEM_CREATE(VRAM, CPU_ACCESS_REQUIRED), AMDGPU_GEM_MMAP, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed amdgpu object in VRAM (PCI BAR)") \
	X(amdgpu_gtt, "amdgpu-gtt", \
	  "GTT-domain amdgpu buffer", \
	  "AMDGPU_GEM_CREATE(GTT), AMDGPU_GEM_MMAP, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed amdgpu object in system memory (TTM pool pages)") \
	X(amdgpu_doorbell, "amdgpu-doorbell", \
	  "doorbell-domain amdgpu buffer", \
	  "AMDGPU_GEM_CREATE(DOORBELL), AMDGPU_GEM_MMAP, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "amdgpu doorbell aperture (device MMIO); kernel 6.6+") \
	X(radeon_vram, "radeon-vram", \
	  "VRAM-domain radeon buffer", \
	  "RADEON_GEM_CREATE(VRAM), RADEON_GEM_MMAP, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed radeon object in VRAM (PCI BAR)") \
	X(radeon_gtt, "radeon-gtt", \
	  "GTT-domain radeon buffer", \
	  "RADEON_GEM_CREATE(GTT), RADEON_GEM_MMAP, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed radeon object in system memory") \
	X(nouveau_vram, "nouveau-vram", \
	  "mappable VRAM nouveau buffer", \
	  "NOUVEAU_GEM_NEW(VRAM | MAPPABLE), mmap(drm fd) at info.map_handle", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed nouveau object in VRAM (PCI BAR)") \
	X(nouveau_gart, "nouveau-gart", \
	  "GART-domain nouveau buffer", \
	  "NOUVEAU_GEM_NEW(GART), mmap(drm fd) at info.map_handle", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed nouveau object in system memory") \
	X(msm_wc, "msm-wc", \
	  "write-combined msm buffer", \
	  "MSM_GEM_NEW(MSM_BO_WC), MSM_GEM_INFO(GET_OFFSET), mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "msm object pages (shmem, purgeable by the driver)") \
	X(panfrost_bo, "panfrost-bo", \
	  "no-exec panfrost buffer", \
	  "PANFROST_CREATE_BO(NOEXEC), PANFROST_MMAP_BO, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "drm_gem_shmem object pages (purgeable by the driver)") \
	X(v3d_bo, "v3d-bo", \
	  "v3d buffer", \
	  "V3D_CREATE_BO, V3D_MMAP_BO, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "drm_gem_shmem object pages") \
	X(vc4_bo, "vc4-bo", \
	  "vc4 buffer", \
	  "GET_CAP(SYNCOBJ), VC4_CREATE_BO, VC4_MMAP_BO, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "vc4 DMA (CMA) object, kept in the driver's BO cache") \
	X(etnaviv_wc, "etnaviv-wc", \
	  "write-combined etnaviv buffer", \
	  "ETNAVIV_GEM_NEW(ETNA_BO_WC), ETNAVIV_GEM_INFO, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "etnaviv object pages (shmem, mapped by the driver)") \
	X(lima_bo, "lima-bo", \
	  "lima buffer", \
	  "LIMA_GEM_CREATE, LIMA_GEM_INFO, mmap(drm fd)", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "drm_gem_shmem object pages") \
	X(vmwgfx_bo, "vmwgfx-bo", \
	  "vmwgfx buffer", \
	  "VMW_ALLOC_DMABUF (ALLOC_BO), mmap(drm fd) at rep.map_handle, VMW_UNREF_DMABUF", \
	  IGT_MMAP_OWNER_DRIVER, \
	  "TTM-managed vmwgfx buffer (guest memory the host reads)")

#define IGT_MMAP_HW_DECLARE(stem, n, s, u, o, w) \
	bool igt_hw_##stem##_applies(const struct igt_drm_dev *dev); \
	int igt_hw_##stem##_alloc(const struct igt_drm_dev *dev, size_t size, \
				  struct igt_bo *bo); \
	void igt_hw_##stem##_release(struct igt_bo *bo);

IGT_MMAP_HW_PATH_LIST(IGT_MMAP_HW_DECLARE)

/* one initializer of igt_mmap_paths[] per hardware path */
#define IGT_MMAP_HW_ENTRY(stem, n, s, u, o, w) \
	{ \
		.name = n, \
		.summary = s, \
		.uapi = u, \
		.owner = o, \
		.owner_why = w, \
		.applies = igt_hw_##stem##_applies, \
		.alloc = igt_hw_##stem##_alloc, \
		.release = igt_hw_##stem##_release, \
	},

#define IGT_MMAP_HW_PATHS IGT_MMAP_HW_PATH_LIST(IGT_MMAP_HW_ENTRY)

#endif /* IGT_MMAP_PATH_HW_H */
