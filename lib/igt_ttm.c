// SPDX-License-Identifier: MIT
/*
 * TTM placements and moves, per driver. Buffers are made by the mmap
 * path a placement names (lib/igt_mmap_path.c); qxl and bochs add the
 * debugfs tracking that proves a move.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm.h>
#include <drm_mode.h>

#include "igt_ttm.h"

#define TTM_PAGE igt_page_size()	/* debugfs counts in kernel pages */

/* TTM detection */

/* "qxl, virtio_gpu" or "none" */
void igt_ttm_holders(char *buf, size_t len)
{
	DIR *d = opendir("/sys/module/ttm/holders");
	struct dirent *de;
	size_t n = 0;

	buf[0] = '\0';
	if (!d) {
		snprintf(buf, len, "%s", access("/sys/module/ttm", F_OK) ?
			 "ttm not loaded" : "no holders directory");
		return;
	}
	while ((de = readdir(d)) && n + 2 < len) {
		if (de->d_name[0] == '.')
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
			      de->d_name);
	}
	closedir(d);
	if (!n)
		snprintf(buf, len, "none");
}

/*
 * A driver uses TTM on this kernel when its module uses ttm, directly or
 * through a helper: bochs is on TTM (vram helper) up to 6.x and on the
 * shmem helper later, so a name table cannot tell.
 */
void igt_ttm_detect(const struct igt_drm_dev *dev,
		    struct igt_ttm_detection *det)
{
	char holders[256];

	memset(det, 0, sizeof(*det));
	snprintf(det->module, sizeof(det->module), "%s", dev->module);

	igt_ttm_holders(holders, sizeof(holders));
	if (access("/sys/module/ttm", F_OK)) {
		snprintf(det->why, sizeof(det->why),
			 "module %s: ttm is not loaded (/sys/module/ttm absent), so no driver uses it",
			 det->module);
		return;
	}
	if (access("/sys/module/ttm/holders", F_OK)) {
		snprintf(det->why, sizeof(det->why),
			 "module %s: ttm is built in (no /sys/module/ttm/holders): cannot tell, treated as not TTM",
			 det->module);
		return;
	}
	/* igt_drm_dev_describe() walked ttm's holders already */
	det->ttm = dev->ttm;
	if (det->ttm)
		snprintf(det->why, sizeof(det->why),
			 "module %s uses ttm (module holders: %s)",
			 det->module, dev->ttm_chain);
	else
		snprintf(det->why, sizeof(det->why),
			 "module %s does not use ttm, directly or through a helper (ttm holders: %.160s)",
			 det->module, holders);
}

/* debugfs */

static void debugfs_mount(void)
{
	struct stat st;

	if (!stat("/sys/kernel/debug/dri", &st))
		return;
	/* as upstream IGT does when debugfs is not mounted yet */
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

static int minor_of(const char *node)
{
	const char *p = node;

	while (*p && !isdigit((unsigned char)*p))
		p++;
	return *p ? atoi(p) : -1;
}

/*
 * The file lives in dri/<minor>/ up to 6.x; newer kernels keep per-device
 * files in a directory named after the device, which dri/<minor> may not
 * hold: look for it there too.
 */
static int debugfs_path(const struct igt_ttm_dev *tdev, const char *file,
			char *path, size_t len)
{
	DIR *d;
	struct dirent *de;

	snprintf(path, len, "/sys/kernel/debug/dri/%d/%s", tdev->minor, file);
	if (!access(path, R_OK))
		return 0;
	d = opendir("/sys/kernel/debug/dri");
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		char name[64] = "";
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, len, "/sys/kernel/debug/dri/%.64s/name",
			 de->d_name);
		f = fopen(path, "re");
		if (f) {
			if (!fgets(name, sizeof(name), f))
				name[0] = '\0';
			fclose(f);
		}
		if (strncmp(name, tdev->drm->driver, strlen(tdev->drm->driver)))
			continue;
		snprintf(path, len, "/sys/kernel/debug/dri/%.64s/%s",
			 de->d_name, file);
		if (!access(path, R_OK)) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	snprintf(path, len, "/sys/kernel/debug/dri/%d/%s", tdev->minor, file);
	return -ENOENT;
}

/*
 * drm_mm_print(), which TTM's range manager uses for its debug output:
 * "0x0000000000000000-0x0000000000000300: 768: used", then
 * "total: 4096, used 1024 free 3072". Units are pages.
 */
int igt_ttm_mm_parse(const char *text, struct igt_ttm_mm *mm)
{
	const char *p = text;

	mm->total = mm->used = mm->max_hole = 0;
	mm->num_nodes = 0;
	while (*p) {
		uint64_t s, e, n, t, u, f;
		char what[16];

		if (sscanf(p, " %" SCNx64 "-%" SCNx64 ": %" SCNu64 ": %15s",
			   &s, &e, &n, what) == 4) {
			if (!strcmp(what, "free") && e - s > mm->max_hole)
				mm->max_hole = e - s;
			if (!strcmp(what, "used") &&
			    mm->num_nodes < (int)(sizeof(mm->nodes) /
						  sizeof(mm->nodes[0]))) {
				mm->nodes[mm->num_nodes].start = s;
				mm->nodes[mm->num_nodes].size = e - s;
				mm->num_nodes++;
			}
		} else if (sscanf(p, " total: %" SCNu64 ", used %" SCNu64
				  " free %" SCNu64, &t, &u, &f) == 3) {
			mm->total = t;
			mm->used = u;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return mm->total ? 0 : -EINVAL;
}

int igt_ttm_mm_read(const struct igt_ttm_dev *tdev, const char *file,
		    struct igt_ttm_mm *mm)
{
	char buf[65536];
	size_t n = 0;
	ssize_t r;
	int fd;

	debugfs_mount();
	if (debugfs_path(tdev, file, mm->path, sizeof(mm->path)))
		return -ENOENT;
	fd = open(mm->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n + 1 < sizeof(buf) &&
	       (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return igt_ttm_mm_parse(buf, mm);
}

bool igt_ttm_mm_has(const struct igt_ttm_mm *mm,
		    const struct igt_ttm_mm_node *node)
{
	for (int i = 0; i < mm->num_nodes; i++)
		if (mm->nodes[i].start == node->start &&
		    mm->nodes[i].size == node->size)
			return true;
	return false;
}

/*
 * The one node of @size pages that @after has and @before had not:
 * -ENOENT if none, -EEXIST if several (then it cannot be told apart).
 */
int igt_ttm_mm_new_node(const struct igt_ttm_mm *before,
			const struct igt_ttm_mm *after, uint64_t size,
			struct igt_ttm_mm_node *node)
{
	int found = 0;

	for (int i = 0; i < after->num_nodes; i++) {
		if (after->nodes[i].size != size ||
		    igt_ttm_mm_has(before, &after->nodes[i]))
			continue;
		*node = after->nodes[i];
		found++;
	}
	return found == 1 ? 0 : found ? -EEXIST : -ENOENT;
}

static void node_str(const struct igt_ttm_mm_node *n, char *buf, size_t len)
{
	snprintf(buf, len, "[0x%" PRIx64 "-0x%" PRIx64 ") %" PRIu64 " pages",
		 n->start, n->start + n->size, n->size);
}

/* Scanout: the vram helper pins a framebuffer on a CRTC to VRAM. */

static void kms_probe(struct igt_ttm_dev *tdev)
{
	int fd = tdev->drm->fd;
	drmModeRes *res;

	if (tdev->kms_probed)
		return;
	tdev->kms_probed = true;
	snprintf(tdev->no_scanout, sizeof(tdev->no_scanout),
		 "no connected connector with a mode");

	res = drmModeGetResources(fd);
	if (!res) {
		snprintf(tdev->no_scanout, sizeof(tdev->no_scanout),
			 "drmModeGetResources: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < res->count_connectors && !tdev->can_scanout;
	     i++) {
		drmModeConnector *c = drmModeGetConnector(fd,
							  res->connectors[i]);
		drmModeEncoder *e;
		uint32_t crtc = 0;

		if (!c)
			continue;
		if (c->connection == DRM_MODE_DISCONNECTED || !c->count_modes ||
		    !c->count_encoders) {
			drmModeFreeConnector(c);
			continue;
		}
		e = drmModeGetEncoder(fd, c->encoder_id ? c->encoder_id :
				      c->encoders[0]);
		if (e) {
			crtc = e->crtc_id;
			for (int k = 0; !crtc && k < res->count_crtcs; k++)
				if (e->possible_crtcs & (1u << k))
					crtc = res->crtcs[k];
			drmModeFreeEncoder(e);
		}
		if (crtc) {
			int m = 0;

			for (int k = 0; k < c->count_modes; k++)
				if (c->modes[k].type & DRM_MODE_TYPE_PREFERRED) {
					m = k;
					break;
				}
			tdev->mode = c->modes[m];
			tdev->crtc_id = crtc;
			tdev->conn_id = c->connector_id;
			tdev->can_scanout = true;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	if (tdev->can_scanout)
		tdev->saved_crtc = drmModeGetCrtc(fd, tdev->crtc_id);
}

static void crtc_restore(struct igt_ttm_dev *tdev)
{
	drmModeCrtc *s = tdev->saved_crtc;
	int fd = tdev->drm->fd;

	if (s && s->buffer_id && s->mode_valid &&
	    !drmModeSetCrtc(fd, tdev->crtc_id, s->buffer_id, s->x, s->y,
			    &tdev->conn_id, 1, &s->mode))
		return;
	drmModeSetCrtc(fd, tdev->crtc_id, 0, 0, 0, NULL, 0, NULL);
}

static int scanout(struct igt_ttm_bo *tbo)
{
	struct igt_ttm_dev *tdev = tbo->tdev;
	int fd = tdev->drm->fd;

	if (!tbo->fb_id && drmModeAddFB(fd, tbo->fb_width, tbo->fb_height, 24,
					32, tbo->fb_pitch, tbo->bo.handle,
					&tbo->fb_id))
		return -errno;
	if (drmModeSetCrtc(fd, tdev->crtc_id, tbo->fb_id, 0, 0,
			   &tdev->conn_id, 1, &tdev->mode))
		return -errno;
	tbo->on_crtc = true;
	return 0;
}

static void unscanout(struct igt_ttm_bo *tbo)
{
	if (tbo->on_crtc)
		crtc_restore(tbo->tdev);
	tbo->on_crtc = false;
	if (tbo->fb_id)
		drmModeRmFB(tbo->tdev->drm->fd, tbo->fb_id);
	tbo->fb_id = 0;
}

/* bochs (drm_gem_vram_helper): dumb buffers, VRAM only while pinned */

static int bochs_dumb(struct igt_ttm_dev *tdev, size_t size,
		      struct igt_ttm_bo *tbo)
{
	struct drm_mode_create_dumb c = { .bpp = 32 };
	struct drm_mode_map_dumb m = {};
	int r;

	/* scanout geometry, so that any buffer can be pinned for scanout */
	kms_probe(tdev);
	c.width = tdev->can_scanout ? tdev->mode.hdisplay : 1024;
	c.height = (size + c.width * 4 - 1) / (c.width * 4);
	if (tdev->can_scanout && c.height < tdev->mode.vdisplay)
		c.height = tdev->mode.vdisplay;
	r = igt_drm_ioctl(tdev->drm->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
	if (r)
		return r;
	tbo->bo.handle = c.handle;
	tbo->bo.size = c.size;
	tbo->fb_width = c.width;
	tbo->fb_height = c.height;
	tbo->fb_pitch = c.pitch;
	m.handle = c.handle;
	r = igt_drm_ioctl(tdev->drm->fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
	if (r)
		return r;
	tbo->bo.map_fd = tdev->drm->fd;
	tbo->bo.map_offset = m.offset;
	snprintf(tbo->bo.desc, sizeof(tbo->bo.desc),
		 "bochs dumb %ux%ux32 (%llu KiB)", c.width, c.height,
		 (unsigned long long)c.size >> 10);
	return 0;
}

static void bochs_release(struct igt_ttm_bo *tbo)
{
	struct drm_mode_destroy_dumb d = { .handle = tbo->bo.handle };

	unscanout(tbo);
	if (d.handle)
		igt_drm_ioctl(tbo->tdev->drm->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
}

/* A new dumb buffer sits in TTM_PL_SYSTEM until something pins it. */
static int bochs_system_alloc(struct igt_ttm_dev *tdev, size_t size,
			      struct igt_ttm_bo *tbo)
{
	int r = bochs_dumb(tdev, size, tbo);

	if (!r)
		strncat(tbo->bo.desc, ", TTM_PL_SYSTEM (not pinned)",
			sizeof(tbo->bo.desc) - strlen(tbo->bo.desc) - 1);
	return r;
}

/* Pin for scanout and find the buffer's new node in vram-mm. */
static int bochs_pin_vram(struct igt_ttm_bo *tbo, char *proof, size_t len)
{
	struct igt_ttm_dev *tdev = tbo->tdev;
	struct igt_ttm_mm *before, *after;
	char n[96];
	int r;

	kms_probe(tdev);
	if (!tdev->can_scanout) {
		snprintf(proof, len, "cannot scan out on %s: %s",
			 tdev->drm->name, tdev->no_scanout);
		return -EOPNOTSUPP;
	}
	before = calloc(2, sizeof(*before));
	after = before + 1;
	r = igt_ttm_mm_read(tdev, "vram-mm", before);
	if (r) {
		snprintf(proof, len, "no proof available: %s: %s",
			 before->path, strerror(-r));
		free(before);
		return -ENOENT;
	}
	r = scanout(tbo);
	if (r) {
		snprintf(proof, len, "SETCRTC with the buffer failed: %s%s",
			 strerror(-r), r == -EACCES || r == -EPERM ?
			 " (not DRM master)" : "");
		free(before);
		return r;
	}
	r = igt_ttm_mm_read(tdev, "vram-mm", after);
	if (!r)
		r = igt_ttm_mm_new_node(before, after, tbo->bo.size / TTM_PAGE,
					&tbo->node);
	if (r) {
		snprintf(proof, len,
			 "no proof: %s shows %s node of %zu pages after the pin (used %" PRIu64 " -> %" PRIu64 ")",
			 after->path, r == -EEXIST ? "several new" : "no new",
			 tbo->bo.size / TTM_PAGE, before->used, after->used);
		free(before);
		return -ENOENT;
	}
	tbo->node_known = true;
	node_str(&tbo->node, n, sizeof(n));
	snprintf(proof, len,
		 "%s: new used node %s = the buffer, pinned to TTM_PL_VRAM by SETCRTC (used %" PRIu64 " -> %" PRIu64 " of %" PRIu64 ")",
		 after->path, n, before->used, after->used, after->total);
	free(before);
	return 0;
}

static int bochs_vram_alloc(struct igt_ttm_dev *tdev, size_t size,
			    struct igt_ttm_bo *tbo)
{
	char proof[320];
	int r = bochs_dumb(tdev, size, tbo);

	if (r)
		return r;
	r = bochs_pin_vram(tbo, proof, sizeof(proof));
	if (r == -ENOENT && tbo->on_crtc)
		r = 0;	/* pinned all the same; @where says what is unproven */
	if (r)
		return r;
	strncat(tbo->bo.desc, ", pinned to TTM_PL_VRAM for scanout",
		sizeof(tbo->bo.desc) - strlen(tbo->bo.desc) - 1);
	snprintf(tbo->where, sizeof(tbo->where), "%s", proof);
	return 0;
}

/* system -> VRAM: pin for scanout, then unpin (the buffer stays). */
static int bochs_move_to_vram(struct igt_ttm_bo *tbo, char *proof,
			      size_t len)
{
	int r = bochs_pin_vram(tbo, proof, len);

	unscanout(tbo);
	return r;
}

/*
 * VRAM -> system: unpin, then pin a framebuffer larger than any free range
 * of VRAM: TTM must evict to place it, and the only unpinned buffer in
 * VRAM is ours (drm_gem_vram's evict_flags: to system). Whether the
 * filler then fits does not matter; the buffer's node going away does.
 */
static int bochs_move_to_system(struct igt_ttm_bo *tbo, char *proof,
				size_t len)
{
	struct igt_ttm_dev *tdev = tbo->tdev;
	struct igt_ttm_mm *mm = calloc(1, sizeof(*mm));
	struct igt_ttm_bo filler = { .tdev = tdev, .pl = tbo->pl };
	uint64_t room;
	char n[96];
	int r, pin;

	unscanout(tbo);
	r = igt_ttm_mm_read(tdev, "vram-mm", mm);
	if (r || !tbo->node_known || !igt_ttm_mm_has(mm, &tbo->node)) {
		snprintf(proof, len, "no proof available: %s",
			 r ? "vram-mm unreadable" :
			 "the buffer's VRAM node is not known");
		free(mm);
		return -ENOENT;
	}
	room = (mm->max_hole + 1) * TTM_PAGE;
	filler.bo.map_fd = -1;
	filler.bo.dmabuf_fd = -1;
	pin = bochs_dumb(tdev, room, &filler);
	if (!pin)
		pin = scanout(&filler);
	r = igt_ttm_mm_read(tdev, "vram-mm", mm);
	node_str(&tbo->node, n, sizeof(n));
	if (r) {
		snprintf(proof, len, "vram-mm unreadable after the filler: %s",
			 strerror(-r));
		r = -ENOENT;
	} else if (igt_ttm_mm_has(mm, &tbo->node)) {
		snprintf(proof, len,
			 "the buffer's node %s is still in %s after pinning a %" PRIu64 " KiB framebuffer (%s)",
			 n, mm->path, filler.bo.size >> 10,
			 pin ? strerror(-pin) : "pinned");
		r = -ENOSPC;
	} else {
		snprintf(proof, len,
			 "%s: the buffer's node %s is gone after pinning a %" PRIu64 " KiB framebuffer (larger than any free range; %s): evicted to TTM_PL_SYSTEM",
			 mm->path, n, filler.bo.size >> 10,
			 pin ? strerror(-pin) : "filler pinned");
		tbo->node_known = false;
	}
	bochs_release(&filler);
	free(mm);
	return r;
}

/* qxl: QXL_ALLOC (VRAM domain) and QXL_ALLOC_SURF (SURFACE domain) */

static int qxl_path_alloc(const char *path_name, struct igt_ttm_dev *tdev,
			  size_t size, struct igt_bo *bo)
{
	const struct igt_mmap_path *path = igt_mmap_path_by_name(path_name);

	return path ? igt_bo_alloc(path, tdev->drm, size, bo) : -ENOENT;
}

/* Remember where the new buffer landed, to prove a move later. */
static int qxl_alloc_tracked(struct igt_ttm_dev *tdev, size_t size,
			     struct igt_ttm_bo *tbo)
{
	const char *path_name = tbo->pl->path;
	struct igt_ttm_mm *before = calloc(2, sizeof(*before));
	struct igt_ttm_mm *after = before + 1;
	bool have = !igt_ttm_mm_read(tdev, tbo->pl->mm_file, before);
	int r;

	r = qxl_path_alloc(path_name, tdev, size, &tbo->bo);
	if (!r && have && !igt_ttm_mm_read(tdev, tbo->pl->mm_file, after) &&
	    !igt_ttm_mm_new_node(before, after,
				 (tbo->bo.size + TTM_PAGE - 1) / TTM_PAGE,
				 &tbo->node)) {
		char n[96];

		tbo->node_known = true;
		node_str(&tbo->node, n, sizeof(n));
		snprintf(tbo->where, sizeof(tbo->where),
			 "%s: new used node %s = the buffer", after->path, n);
	} else if (!r) {
		snprintf(tbo->where, sizeof(tbo->where),
			 "node not located in debugfs %s (%s)",
			 tbo->pl->mm_file, have ? "no unique new node" :
			 "file not found");
	}
	free(before);
	return r;
}

/*
 * Allocate buffers of the same domain until TTM has to evict ours
 * (qxl_evict_flags: to the CPU domain, system memory). The fillers differ
 * in size from the buffer, so a filler can never look like its node.
 */
static int qxl_evict(struct igt_ttm_bo *tbo, char *proof, size_t len)
{
	struct igt_ttm_dev *tdev = tbo->tdev;
	const char *path = tbo->pl->path;
	struct igt_ttm_mm *mm = calloc(1, sizeof(*mm));
	size_t filler_size = 2 * 1024 * 1024 + 2 * TTM_PAGE;
	uint64_t budget = 0, used = 0;
	struct igt_bo *fillers;
	int nfill = 0, maxfill, r;
	char n[96];

	if (!tbo->node_known || igt_ttm_mm_read(tdev, tbo->pl->mm_file, mm) ||
	    !igt_ttm_mm_has(mm, &tbo->node)) {
		snprintf(proof, len,
			 "no proof available: the buffer's node in debugfs %s is unknown (debugfs %s)",
			 tbo->pl->mm_file, mm->path[0] ? mm->path :
			 "not found");
		free(mm);
		return -ENOENT;
	}
	/* surfaces overflow from the surface BAR into VRAM first */
	budget = mm->total;
	if (!igt_ttm_mm_read(tdev, "qxl_mem_mm", mm) &&
	    strcmp(tbo->pl->mm_file, "qxl_mem_mm"))
		budget += mm->total;
	budget = budget * TTM_PAGE * 3 / 2;
	maxfill = budget / filler_size + 2;
	fillers = calloc(maxfill, sizeof(*fillers));
	node_str(&tbo->node, n, sizeof(n));

	r = -ENOSPC;
	while (nfill < maxfill) {
		int e = qxl_path_alloc(path, tdev, filler_size,
				       &fillers[nfill]);

		if (e) {
			snprintf(proof, len,
				 "allocating filler %d failed (%s) with the buffer's node %s still in %s",
				 nfill + 1, strerror(-e), n, tbo->pl->mm_file);
			r = e;
			break;
		}
		used += fillers[nfill++].size;
		if (igt_ttm_mm_read(tdev, tbo->pl->mm_file, mm))
			continue;
		if (!igt_ttm_mm_has(mm, &tbo->node)) {
			snprintf(proof, len,
				 "%s: the buffer's node %s is gone after %d fillers (%" PRIu64 " KiB) of the same domain: evicted (qxl evicts to the CPU domain)",
				 mm->path, n, nfill, used >> 10);
			tbo->node_known = false;
			r = 0;
			break;
		}
	}
	if (r == -ENOSPC && nfill == maxfill)
		snprintf(proof, len,
			 "the buffer's node %s still in %s after %d fillers (%" PRIu64 " KiB)",
			 n, tbo->pl->mm_file, nfill, used >> 10);
	for (int i = 0; i < nfill; i++)
		igt_bo_release(igt_mmap_path_by_name(path), &fillers[i]);
	free(fillers);
	free(mm);
	return r;
}

const char *const igt_ttm_placement_names[] = {
	"vram", "surface", "gtt", "system",
};
const unsigned int igt_ttm_num_placement_names =
	sizeof(igt_ttm_placement_names) / sizeof(igt_ttm_placement_names[0]);

#define HW_NO_MOVE "no move proof wired for this hardware driver (not exercised on virtual hardware)"

/*
 * The hardware rows make their buffers through the driver's own mmap
 * path; amdgpu has ttm_device_funcs.access_memory since TTM's access()
 * exists (09ac4fcb3f25), xe since 6.14 (97e8cecb6a0d "drm/xe: Add
 * xe_ttm_access_memory"; Debian's 6.12 xe.ko lacks it, 7.2's has it);
 * radeon and nouveau have none.
 */
#define HW(drv, pl, dom, mmap_path, io, hook, since) {			\
	.driver = drv, .name = pl, .domain = dom, .hardware = true,	\
	.iomem = io, .access_fn = hook, .access_since = since,		\
	.no_move = HW_NO_MOVE, .path = mmap_path,			\
}

const struct igt_ttm_placement igt_ttm_placements[] = {
	{
		.driver = "qxl", .name = "vram",
		.domain = "QXL_ALLOC: QXL_GEM_DOMAIN_VRAM (TTM_PL_VRAM, BAR0)",
		.mm_file = "qxl_mem_mm", .iomem = true,
		.path = "qxl-vram", .alloc = qxl_alloc_tracked,
		.move = qxl_evict,
	},
	{
		.driver = "qxl", .name = "surface",
		.domain = "QXL_ALLOC_SURF: QXL_GEM_DOMAIN_SURFACE (TTM_PL_PRIV, BAR1, then VRAM)",
		.mm_file = "qxl_surf_mm", .iomem = true,
		.path = "qxl-surface", .alloc = qxl_alloc_tracked,
		.move = qxl_evict,
	},
	{
		.driver = "qxl", .name = "system",
		.domain = "QXL_GEM_DOMAIN_CPU",
		.no_alloc = "qxl's uAPI cannot ask for the CPU domain (QXL_ALLOC takes only a size and always uses VRAM; qxl buffers reach system memory only by eviction, see vram-move)",
	},
	{
		.driver = "bochs-drm", .name = "vram",
		.domain = "dumb buffer pinned for scanout by SETCRTC (TTM_PL_VRAM)",
		.mm_file = "vram-mm", .iomem = true,
		.alloc = bochs_vram_alloc, .release = bochs_release,
		.move = bochs_move_to_system,
	},
	{
		.driver = "bochs-drm", .name = "system",
		.domain = "new dumb buffer, not pinned (TTM_PL_SYSTEM)",
		.mm_file = "vram-mm",
		.alloc = bochs_system_alloc, .release = bochs_release,
		.move = bochs_move_to_vram,
	},
	HW("amdgpu", "vram", "AMDGPU_GEM_DOMAIN_VRAM, CPU_ACCESS_REQUIRED (a request: the kernel may fall back to GTT)",
	   "amdgpu-vram", true, "amdgpu_ttm_access_memory", "with TTM's access(), 09ac4fcb3f25"),
	HW("amdgpu", "gtt", "AMDGPU_GEM_DOMAIN_GTT", "amdgpu-gtt", false,
	   "amdgpu_ttm_access_memory", "with TTM's access(), 09ac4fcb3f25"),
	HW("amdgpu", "system", "AMDGPU_GEM_DOMAIN_CPU", "amdgpu-cpu", false,
	   "amdgpu_ttm_access_memory", "with TTM's access(), 09ac4fcb3f25"),
	HW("radeon", "vram", "RADEON_GEM_DOMAIN_VRAM", "radeon-vram", true,
	   NULL, NULL),
	HW("radeon", "gtt", "RADEON_GEM_DOMAIN_GTT", "radeon-gtt", false,
	   NULL, NULL),
	HW("radeon", "system", "RADEON_GEM_DOMAIN_CPU", "radeon-cpu", false,
	   NULL, NULL),
	HW("nouveau", "vram", "NOUVEAU_GEM_DOMAIN_VRAM|MAPPABLE",
	   "nouveau-vram", true, NULL, NULL),
	HW("nouveau", "gtt", "NOUVEAU_GEM_DOMAIN_GART", "nouveau-gart", false,
	   NULL, NULL),
	HW("xe", "vram", "the first VRAM region, NEEDS_VISIBLE_VRAM, WC",
	   "xe-vram", true, "xe_ttm_access_memory", "6.14"),
	HW("xe", "system", "the system-memory region, WB", "xe-system", false,
	   "xe_ttm_access_memory", "6.14"),
};

const unsigned int igt_ttm_num_placements =
	sizeof(igt_ttm_placements) / sizeof(igt_ttm_placements[0]);

const struct igt_ttm_placement *igt_ttm_placement_find(const char *driver,
							const char *name)
{
	for (unsigned int i = 0; i < igt_ttm_num_placements; i++)
		if (!strcmp(igt_ttm_placements[i].driver, driver) &&
		    !strcmp(igt_ttm_placements[i].name, name))
			return &igt_ttm_placements[i];
	return NULL;
}

bool igt_ttm_driver_known(const char *driver)
{
	for (unsigned int i = 0; i < igt_ttm_num_placements; i++)
		if (!strcmp(igt_ttm_placements[i].driver, driver))
			return true;
	return false;
}

void igt_ttm_dev_init(struct igt_ttm_dev *tdev,
		      const struct igt_drm_dev *drm)
{
	memset(tdev, 0, sizeof(*tdev));
	tdev->drm = drm;
	tdev->minor = minor_of(drm->node);
	igt_ttm_detect(drm, &tdev->det);
}

void igt_ttm_dev_fini(struct igt_ttm_dev *tdev)
{
	if (tdev->saved_crtc)
		drmModeFreeCrtc(tdev->saved_crtc);
	tdev->saved_crtc = NULL;
}

int igt_ttm_bo_alloc(struct igt_ttm_dev *tdev,
		     const struct igt_ttm_placement *pl, size_t size,
		     struct igt_ttm_bo *tbo)
{
	int r;

	memset(tbo, 0, sizeof(*tbo));
	tbo->tdev = tdev;
	tbo->pl = pl;
	tbo->bo.dev = tdev->drm;
	tbo->bo.fd = tdev->drm->fd;
	tbo->bo.map_fd = tdev->drm->fd;
	tbo->bo.dmabuf_fd = -1;
	if (pl->alloc)
		r = pl->alloc(tdev, size, tbo);
	else if (pl->path && igt_mmap_path_by_name(pl->path))
		r = igt_bo_alloc(igt_mmap_path_by_name(pl->path), tdev->drm,
				 size, &tbo->bo);
	else
		return -EOPNOTSUPP;
	if (r) {
		const char *step = tbo->bo.failed_step;

		igt_ttm_bo_release(tbo);
		tbo->bo.failed_step = step;
	}
	return r;
}

bool igt_ttm_bo_alloc_not_here(const struct igt_ttm_bo *tbo, int err,
			       char *why, size_t len)
{
	const struct igt_mmap_path *path = tbo->pl->path ?
		igt_mmap_path_by_name(tbo->pl->path) : NULL;
	const struct igt_mmap_path own = { .name = tbo->pl->name };

	if (err == -EOPNOTSUPP && !tbo->pl->alloc && !path) {
		snprintf(why, len, "no way to allocate in this placement");
		return true;
	}
	return igt_bo_alloc_not_here(path ? path : &own, &tbo->bo, err, why,
				     len);
}

void igt_ttm_bo_release(struct igt_ttm_bo *tbo)
{
	const struct igt_mmap_path *path =
		tbo->pl && tbo->pl->path ? igt_mmap_path_by_name(tbo->pl->path) :
		NULL;

	if (tbo->pl && tbo->pl->release && (tbo->bo.handle || tbo->fb_id))
		tbo->pl->release(tbo);
	else if (path)
		igt_bo_release(path, &tbo->bo);
	tbo->bo.handle = 0;
	tbo->fb_id = 0;
}

/*
 * Whether the kernel running has the driver's access_memory hook, from
 * /proc/kallsyms (which lists module functions by name even where it
 * hides their addresses).
 */
bool igt_ttm_access_hook(const struct igt_ttm_placement *pl, char *why,
			 size_t len)
{
	char line[256], name[128];
	bool found = false;
	FILE *f;

	if (!pl->access_fn) {
		snprintf(why, len, "%s has no ttm_device_funcs.access_memory",
			 pl->driver);
		return false;
	}
	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		snprintf(why, len, "/proc/kallsyms: %s: cannot tell whether %s (%s) is here",
			 strerror(errno), pl->access_fn, pl->access_since);
		return false;
	}
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %127s", name) == 1 &&
			!strcmp(name, pl->access_fn);
	fclose(f);
	snprintf(why, len, "%s (%s) is %sin this kernel (/proc/kallsyms)",
		 pl->access_fn, pl->access_since, found ? "" : "not ");
	return found;
}

int igt_ttm_bo_move(struct igt_ttm_bo *tbo, char *proof, size_t len)
{
	if (!tbo->pl->move) {
		snprintf(proof, len, "%s", tbo->pl->no_move ? tbo->pl->no_move :
			 "no move mechanism");
		return -EOPNOTSUPP;
	}
	return tbo->pl->move(tbo, proof, len);
}
