// SPDX-License-Identifier: MIT
/*
 * GUP probes and their calibration.
 *
 * Slow GUP refuses VM_IO|VM_PFNMAP VMAs, but GUP-fast never looks at the
 * VMA: it walks the page tables and only bails on special entries. So the
 * question "can this mapping be pinned" has to be asked through the entry
 * points user space really has, and each answer is only worth something
 * once the same probe has been seen to pin ordinary memory and to be
 * refused on a mapping the kernel itself made VM_PFNMAP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <linux/if_packet.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "igt_gup.h"
#include "igt_vma.h"

/*
 * IGT_GUP_LIBURING (0 or 1) comes from the build, with liburing itself:
 * this project's meson.build, or inside IGT the lib/meson.build hunk of
 * docs/upstreaming.md. IGT's config.h knows nothing of liburing, so a
 * build that does not say is an error rather than a probe silently gone.
 */
#ifndef IGT_GUP_LIBURING
#error "IGT_GUP_LIBURING is not defined: add liburing to the build as docs/upstreaming.md shows (IGT_GUP_LIBURING=0 builds without the io_uring probe)"
#endif
#if IGT_GUP_LIBURING
#include <liburing.h>
#endif

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RAMFS_MAGIC
#define RAMFS_MAGIC 0x858458f6
#endif

#define PROBE_LEN 4096

static size_t page_size(void)
{
	static size_t ps;

	if (!ps)
		ps = sysconf(_SC_PAGESIZE);
	return ps;
}

static void set_result(struct igt_gup_result *res, enum igt_gup_status st,
		       int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_result(struct igt_gup_result *res, enum igt_gup_status st,
		       int err, const char *fmt, ...)
{
	va_list ap;

	res->status = st;
	res->err = err;
	res->bytes = -1;
	res->reason[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
		va_end(ap);
	}
}

/*
 * GUP-fast only finds what is already in the page tables; an unpopulated
 * range would send every probe down the slow path, which checks the VMA.
 */
void igt_gup_fault_in(void *addr, size_t len, bool write)
{
	volatile uint8_t *p = addr;

	for (size_t off = 0; off < len; off += page_size()) {
		/*
		 * The analyzer loses ref->available across snprintf() in
		 * map_anon() and assumes a failed map is used: it is not.
		 */
		uint8_t v = p[off]; // NOLINT(clang-analyzer-core.NullDereference)

		if (write)
			p[off] = v;
	}
}

/* get_futex_key() pins the page with GUP-fast for a shared futex. */
static void probe_futex(void *addr, size_t len, struct igt_gup_result *res)
{
	uint32_t *uaddr = addr;
	uint32_t val = __atomic_load_n(uaddr, __ATOMIC_RELAXED);
	struct timespec ts = { .tv_nsec = 1000000 };
	long r;

	r = syscall(SYS_futex, uaddr, FUTEX_WAIT, val ^ 1, &ts, NULL, 0);
	if (r == 0 || errno == EAGAIN || errno == ETIMEDOUT || errno == EINTR)
		set_result(res, IGT_GUP_PINNED, 0, "futex key taken");
	else if (errno == EFAULT)
		set_result(res, IGT_GUP_REFUSED, EFAULT, NULL);
	else
		set_result(res, IGT_GUP_UNAVAILABLE, errno,
			   "FUTEX_WAIT failed: %s", strerror(errno));
}

static struct {
	bool tried;
	int fd;
	char dir[256];
	char why[480];
} dio = { .fd = -1 };

static void dio_note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void dio_note(const char *fmt, ...)
{
	size_t used = strlen(dio.why);
	va_list ap;

	if (used && used + 2 < sizeof(dio.why)) {
		strcat(dio.why, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(dio.why + used, sizeof(dio.why) - used, fmt, ap);
	va_end(ap);
}

static int dio_try_dir(const char *dir)
{
	char path[200];
	struct statfs sfs;
	void *buf;
	int fd;

	if (statfs(dir, &sfs)) {
		dio_note("%s: %s", dir, strerror(errno));
		return -1;
	}
	/*
	 * tmpfs accepts O_DIRECT from 6.6 on but serves it by copying,
	 * without pinning anything: a probe there would prove nothing.
	 */
	if ((unsigned long)sfs.f_type == TMPFS_MAGIC ||
	    (unsigned long)sfs.f_type == RAMFS_MAGIC) {
		dio_note("%s: tmpfs/ramfs copies O_DIRECT without pinning",
			 dir);
		return -1;
	}

	snprintf(path, sizeof(path), "%s/igt-gup-dio.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		dio_note("%s: cannot create a file: %s", dir, strerror(errno));
		return -1;
	}
	unlink(path);
	if (fcntl(fd, F_SETFL, O_DIRECT)) {
		dio_note("%s: no O_DIRECT on this filesystem (%s)", dir,
			 strerror(errno));
		close(fd);
		return -1;
	}

	buf = mmap(NULL, PROBE_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		close(fd);
		return -1;
	}
	memset(buf, 0x5a, PROBE_LEN);
	if (pwrite(fd, buf, PROBE_LEN, 0) != PROBE_LEN) {
		dio_note("%s: O_DIRECT write failed (%s)", dir,
			 strerror(errno));
		munmap(buf, PROBE_LEN);
		close(fd);
		return -1;
	}
	munmap(buf, PROBE_LEN);
	snprintf(dio.dir, sizeof(dio.dir), "%s", dir);
	return fd;
}

static int dio_file(void)
{
	const char *cands[] = {
		getenv("IGT_GUP_DIRECT_IO_DIR"), getenv("TMPDIR"),
		"/var/tmp", "/tmp", ".",
	};

	if (dio.tried)
		return dio.fd;
	dio.tried = true;
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (!cands[i] || !*cands[i])
			continue;
		dio.fd = dio_try_dir(cands[i]);
		if (dio.fd >= 0)
			break;
	}
	return dio.fd;
}

static void dio_unavailable(struct igt_gup_result *res)
{
	set_result(res, IGT_GUP_UNAVAILABLE, EOPNOTSUPP,
		   "no filesystem with real O_DIRECT found (%s); set IGT_GUP_DIRECT_IO_DIR",
		   dio.why);
}

static void dio_result(struct igt_gup_result *res, ssize_t r, const char *op)
{
	if (r > 0) {
		set_result(res, IGT_GUP_PINNED, 0, "%s moved %zd bytes", op, r);
		res->bytes = r;
	} else if (r < 0 && errno == EFAULT)
		set_result(res, IGT_GUP_REFUSED, EFAULT, NULL);
	else if (r == 0)
		set_result(res, IGT_GUP_UNAVAILABLE, 0, "%s returned 0", op);
	else
		set_result(res, IGT_GUP_UNAVAILABLE, errno, "%s in %s: %s",
			   op, dio.dir, strerror(errno));
}

/* O_DIRECT read: the file's blocks are written into the mapping. */
static void probe_odirect_read(void *addr, size_t len,
			       struct igt_gup_result *res)
{
	int fd = dio_file();

	if (fd < 0) {
		dio_unavailable(res);
		return;
	}
	dio_result(res, pread(fd, addr, PROBE_LEN, 0), "O_DIRECT read");
}

/* O_DIRECT write: the mapping's pages are the source of the I/O. */
static void probe_odirect_write(void *addr, size_t len,
				struct igt_gup_result *res)
{
	int fd = dio_file();

	if (fd < 0) {
		dio_unavailable(res);
		return;
	}
	dio_result(res, pwrite(fd, addr, PROBE_LEN, 0), "O_DIRECT write");
}

/* vmsplice() hands the pages themselves to the pipe. */
static void probe_vmsplice(void *addr, size_t len,
			   struct igt_gup_result *res)
{
	struct iovec iov = { .iov_base = addr, .iov_len = PROBE_LEN };
	int p[2];
	ssize_t r;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		set_result(res, IGT_GUP_UNAVAILABLE, errno, "pipe2: %s",
			   strerror(errno));
		return;
	}
	r = vmsplice(p[1], &iov, 1, SPLICE_F_NONBLOCK);
	if (r > 0) {
		set_result(res, IGT_GUP_PINNED, 0, "%zd bytes in the pipe", r);
		res->bytes = r;
	} else if (r < 0 && errno == EFAULT)
		set_result(res, IGT_GUP_REFUSED, EFAULT, NULL);
	else
		set_result(res, IGT_GUP_UNAVAILABLE, r < 0 ? errno : 0,
			   "vmsplice: %s", r < 0 ? strerror(errno) : "0");
	close(p[0]);
	close(p[1]);
}

static int read_hex_file(const char *path, unsigned int *val)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%x", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

#if IGT_GUP_LIBURING
static int read_int_file(const char *path, int *val)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%d", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}
#endif

/* Buffer registration pins with FOLL_WRITE | FOLL_LONGTERM. */
static void probe_io_uring(void *addr, size_t len, struct igt_gup_result *res)
{
#if IGT_GUP_LIBURING
	struct iovec iov = { .iov_base = addr, .iov_len = PROBE_LEN };
	struct io_uring ring;
	int r, disabled;

	r = io_uring_queue_init(2, &ring, 0);
	if (r < 0) {
		if (-r == EPERM &&
		    !read_int_file("/proc/sys/kernel/io_uring_disabled",
				   &disabled) && disabled)
			set_result(res, IGT_GUP_UNAVAILABLE, EPERM,
				   "io_uring disabled (kernel.io_uring_disabled=%d)",
				   disabled);
		else if (-r == ENOSYS)
			set_result(res, IGT_GUP_UNAVAILABLE, ENOSYS,
				   "kernel built without io_uring");
		else
			set_result(res, IGT_GUP_UNAVAILABLE, -r,
				   "io_uring_setup: %s", strerror(-r));
		return;
	}

	r = io_uring_register_buffers(&ring, &iov, 1);
	if (r == 0) {
		set_result(res, IGT_GUP_PINNED, 0, "buffer registered");
		io_uring_unregister_buffers(&ring);
	} else if (r == -EFAULT) {
		set_result(res, IGT_GUP_REFUSED, EFAULT, NULL);
	} else if (r == -EOPNOTSUPP) {
		/*
		 * 5.10-6.4: io_sqe_buffer_register()/io_pin_pages() call
		 * pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) first and only
		 * then look at the VMAs and refuse file-backed ones: the
		 * pages were pinned (and unpinned again) before the error.
		 */
		set_result(res, IGT_GUP_PINNED, EOPNOTSUPP,
			   "pinned, then refused by io_uring's file policy (EOPNOTSUPP)");
	} else {
		set_result(res, IGT_GUP_UNAVAILABLE, -r,
			   "IORING_REGISTER_BUFFERS: %s", strerror(-r));
	}
	io_uring_queue_exit(&ring);
#else
	set_result(res, IGT_GUP_UNAVAILABLE, ENOSYS,
		   "built without liburing");
#endif
}

/* The mapping is the remote side: pin_user_pages_remote(), slow GUP. */
static void probe_process_vm_readv(void *addr, size_t len,
				   struct igt_gup_result *res)
{
	static char local[PROBE_LEN];
	struct iovec l = { .iov_base = local, .iov_len = PROBE_LEN };
	struct iovec r = { .iov_base = addr, .iov_len = PROBE_LEN };
	ssize_t n;

	n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	if (n > 0) {
		set_result(res, IGT_GUP_PINNED, 0, "%zd bytes read", n);
		res->bytes = n;
	} else if (n < 0 && errno == EFAULT)
		set_result(res, IGT_GUP_REFUSED, EFAULT, NULL);
	else
		set_result(res, IGT_GUP_UNAVAILABLE, n < 0 ? errno : 0,
			   "process_vm_readv: %s",
			   n < 0 ? strerror(errno) : "0 bytes");
}

/* Does this kernel know MADV_POPULATE_* (5.14+) at all? */
static bool madv_populate_known(int advice)
{
	static int known[2] = { -1, -1 };
	int i = advice == MADV_POPULATE_WRITE;
	void *p;

	if (known[i] >= 0)
		return known[i];
	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return false;
	known[i] = madvise(p, page_size(), advice) == 0;
	munmap(p, page_size());
	return known[i];
}

static void probe_madv(void *addr, int advice, struct igt_gup_result *res)
{
	if (!madv_populate_known(advice)) {
		set_result(res, IGT_GUP_UNAVAILABLE, EINVAL,
			   "kernel lacks MADV_POPULATE_READ/WRITE (5.14+)");
		return;
	}
	/*
	 * Populating takes no reference: success only says the VMA flags
	 * allowed a fault. EINVAL is the VM_IO|VM_PFNMAP refusal; ENOMEM
	 * (no VMA) and EFAULT (the fault failed) are something else.
	 */
	if (madvise(addr, page_size(), advice) == 0)
		set_result(res, IGT_GUP_PINNED, 0, "populated");
	else if (errno == EINVAL)
		set_result(res, IGT_GUP_REFUSED, errno, NULL);
	else
		set_result(res, IGT_GUP_UNAVAILABLE, errno,
			   "madvise: %s, not the VMA-flag refusal (EINVAL)",
			   strerror(errno));
}

static void probe_madv_read(void *addr, size_t len, struct igt_gup_result *res)
{
	probe_madv(addr, MADV_POPULATE_READ, res);
}

static void probe_madv_write(void *addr, size_t len,
			     struct igt_gup_result *res)
{
	probe_madv(addr, MADV_POPULATE_WRITE, res);
}

typedef void (*probe_fn)(void *addr, size_t len, struct igt_gup_result *res);

/* Each probe's function, by the id of its entry in igt_gup_probes[]. */
static const probe_fn probe_fns[IGT_GUP_NUM_PROBES] = {
	[IGT_GUP_FUTEX] = probe_futex,
	[IGT_GUP_ODIRECT_READ] = probe_odirect_read,
	[IGT_GUP_ODIRECT_WRITE] = probe_odirect_write,
	[IGT_GUP_VMSPLICE] = probe_vmsplice,
	[IGT_GUP_IO_URING] = probe_io_uring,
	[IGT_GUP_PROCESS_VM_READV] = probe_process_vm_readv,
	[IGT_GUP_MADV_POPULATE_READ] = probe_madv_read,
	[IGT_GUP_MADV_POPULATE_WRITE] = probe_madv_write,
};

const struct igt_gup_probe *igt_gup_probe_by_name(const char *name)
{
	for (int i = 0; i < IGT_GUP_NUM_PROBES; i++)
		if (!strcmp(igt_gup_probes[i].name, name))
			return &igt_gup_probes[i];
	return NULL;
}

void igt_gup_run(const struct igt_gup_probe *probe, void *addr, size_t len,
		 bool writable, struct igt_gup_result *res)
{
	if (probe->needs_write && !writable) {
		set_result(res, IGT_GUP_UNAVAILABLE, EACCES,
			   "needs a writable mapping");
		return;
	}
	igt_gup_fault_in(addr, len, writable);
	probe_fns[probe->id](addr, len, res);
}

const char *igt_gup_status_name(const struct igt_gup_probe *probe,
				enum igt_gup_status status)
{
	switch (status) {
	case IGT_GUP_PINNED:
		return probe && !probe->is_gup ? "POPULATED" : "PINNED";
	case IGT_GUP_REFUSED:
		return "REFUSED";
	default:
		return "UNAVAILABLE";
	}
}

void igt_gup_result_str(const struct igt_gup_probe *probe,
			const struct igt_gup_result *res,
			char *buf, size_t len)
{
	const char *st = igt_gup_status_name(probe, res->status);

	if (res->status == IGT_GUP_REFUSED)
		snprintf(buf, len, "%s(%s)%s%s", st, strerrorname_np(res->err) ?
			 strerrorname_np(res->err) : "?",
			 res->reason[0] ? ": " : "", res->reason);
	/* or a pin the call then reported as an error (io_uring) */
	else if (res->status == IGT_GUP_UNAVAILABLE || res->err)
		snprintf(buf, len, "%s(%s)", st, res->reason);
	else
		snprintf(buf, len, "%s", st);
}

/* Calibration references. */

struct ref_map {
	void *base;
	size_t len;
	void *target;
	int fd;
};

static struct igt_gup_ref *add_ref(struct igt_gup_calibration *cal,
				   const char *name, enum igt_gup_ref_kind k)
{
	struct igt_gup_ref *ref = &cal->refs[cal->num_refs++];

	memset(ref, 0, sizeof(*ref));
	ref->name = name;
	ref->kind = k;
	return ref;
}

static bool ref_check_pfnmap(struct igt_gup_ref *ref, void *target)
{
	struct igt_vma_info vma;

	if (igt_vma_lookup(target, &vma)) {
		snprintf(ref->why, sizeof(ref->why), "not found in smaps");
		return false;
	}
	snprintf(ref->vmflags, sizeof(ref->vmflags), "%s", vma.vmflags);
	if (!igt_vma_has(&vma, IGT_VMA_PF)) {
		snprintf(ref->why, sizeof(ref->why),
			 "not VM_PFNMAP on this kernel (VmFlags: %s)",
			 vma.vmflags);
		return false;
	}
	return true;
}

static void map_anon(struct igt_gup_ref *ref, struct ref_map *m)
{
	m->len = 2 * page_size();
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->base == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		return;
	}
	memset(m->base, 0x11, m->len);
	m->target = m->base;
	ref->available = ref->writable = true;
}

static void map_memfd(struct igt_gup_ref *ref, struct ref_map *m)
{
	m->len = 2 * page_size();
	m->fd = memfd_create("igt-gup-calibration", MFD_CLOEXEC);
	if (m->fd < 0 || ftruncate(m->fd, m->len)) {
		snprintf(ref->why, sizeof(ref->why), "memfd: %s",
			 strerror(errno));
		return;
	}
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       m->fd, 0);
	if (m->base == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		return;
	}
	memset(m->base, 0x22, m->len);
	m->target = m->base;
	ref->available = ref->writable = true;
}

/*
 * perf's ring buffer: remap_pfn_range() since the ring was mapped in
 * advance (6.16-ish); earlier kernels fault in ordinary pages and are
 * caught by the VmFlags check.
 */
static void map_perf_ring(struct igt_gup_ref *ref, struct ref_map *m)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	m->fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1,
			PERF_FLAG_FD_CLOEXEC);
	if (m->fd < 0) {
		snprintf(ref->why, sizeof(ref->why), "perf_event_open: %s",
			 strerror(errno));
		return;
	}
	m->len = 2 * page_size();
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       m->fd, 0);
	if (m->base == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		return;
	}
	/*
	 * The control page: writable (data_tail lives there), and nothing
	 * reads it while the event stays disabled. The data pages are
	 * mapped read-only.
	 */
	m->target = m->base;
	if (ref_check_pfnmap(ref, m->target))
		ref->available = ref->writable = true;
}

/* io_uring's SQE array: remap_pfn_range() up to 6.9. */
static void map_io_uring_sqes(struct igt_gup_ref *ref, struct ref_map *m)
{
	struct {
		uint32_t sq_entries, cq_entries, flags, sq_thread_cpu;
		uint32_t sq_thread_idle, features, wq_fd, resv[3];
		uint32_t sq_off[10];
		uint32_t cq_off[10];
	} params;

	memset(&params, 0, sizeof(params));
	m->fd = syscall(__NR_io_uring_setup, 2, &params);
	if (m->fd < 0) {
		snprintf(ref->why, sizeof(ref->why), "io_uring_setup: %s",
			 strerror(errno));
		return;
	}
	m->len = page_size();
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       m->fd, 0x10000000ULL /* IORING_OFF_SQES */);
	if (m->base == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		return;
	}
	m->target = m->base;
	if (ref_check_pfnmap(ref, m->target))
		ref->available = ref->writable = true;
}

/*
 * An ivshmem device's shared-memory BAR through sysfs: io_remap_pfn_range()
 * on every kernel, writable, and backed by nothing but host memory. The VM
 * harness adds one to each guest for this purpose.
 */
static void map_ivshmem_bar(struct igt_gup_ref *ref, struct ref_map *m)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *de;
	char path[200];

	snprintf(ref->why, sizeof(ref->why), "no ivshmem PCI device");
	if (!d)
		return;
	while ((de = readdir(d))) {
		unsigned int vendor, device;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.64s/vendor",
			 de->d_name);
		if (read_hex_file(path, &vendor))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%.64s/device",
			 de->d_name);
		if (read_hex_file(path, &device))
			continue;
		if (vendor != 0x1af4 || device != 0x1110)
			continue;
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%.64s/resource2", de->d_name);
		m->fd = open(path, O_RDWR | O_CLOEXEC);
		if (m->fd < 0) {
			snprintf(ref->why, sizeof(ref->why), "%s: %s", path,
				 strerror(errno));
			break;
		}
		m->len = page_size();
		m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE,
			       MAP_SHARED, m->fd, 0);
		if (m->base == MAP_FAILED) {
			snprintf(ref->why, sizeof(ref->why), "mmap %s: %s",
				 path, strerror(errno));
			break;
		}
		m->target = m->base;
		if (ref_check_pfnmap(ref, m->target)) {
			ref->available = ref->writable = true;
			snprintf(ref->why, sizeof(ref->why), "%s", path);
		}
		break;
	}
	closedir(d);
}

/* [vvar]: VM_PFNMAP on every kernel, but read-only. */
static void map_vvar(struct igt_gup_ref *ref, struct ref_map *m)
{
	struct igt_vma_info vma;

	if (igt_vma_find_named("[vvar]", &vma)) {
		snprintf(ref->why, sizeof(ref->why), "no [vvar] mapping");
		return;
	}
	/* only the first page: the others may SIGBUS without a clock */
	m->target = (void *)(uintptr_t)vma.start;
	m->base = NULL;
	if (ref_check_pfnmap(ref, m->target)) {
		ref->available = true;
		ref->writable = false;
	}
}

static void unmap_ref(struct ref_map *m)
{
	if (m->base && m->base != MAP_FAILED)
		munmap(m->base, m->len);
	if (m->fd > 0)
		close(m->fd);
}

static void errname(int err, char *buf, size_t len)
{
	const char *n = strerrorname_np(err);

	snprintf(buf, len, "%s", n ? n : "?");
}

/*
 * AF_PACKET's receive ring: packet_mmap() vm_insert_page()s pages from
 * the page allocator, so GUP pins them, but they have no ->mapping, like
 * TTM's pool pages: the reference for a probe that may not see that pin.
 */
static void map_packet_ring(struct igt_gup_ref *ref, struct ref_map *m)
{
	struct tpacket_req req = {
		.tp_block_size = page_size(),
		.tp_block_nr = 2,
		.tp_frame_size = TPACKET_ALIGNMENT << 7,
	};

	req.tp_frame_nr = req.tp_block_size / req.tp_frame_size *
			  req.tp_block_nr;
	/* protocol 0: bound to nothing, the ring never receives a packet */
	m->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		snprintf(ref->why, sizeof(ref->why),
			 "socket(AF_PACKET): %s%s", strerror(errno),
			 errno == EPERM ? " (needs CAP_NET_RAW)" : "");
		return;
	}
	if (setsockopt(m->fd, SOL_PACKET, PACKET_RX_RING, &req,
		       sizeof(req))) {
		snprintf(ref->why, sizeof(ref->why), "PACKET_RX_RING: %s",
			 strerror(errno));
		return;
	}
	m->len = req.tp_block_size * req.tp_block_nr;
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       m->fd, 0);
	if (m->base == MAP_FAILED) {
		snprintf(ref->why, sizeof(ref->why), "mmap: %s",
			 strerror(errno));
		return;
	}
	m->target = m->base;
	ref->available = ref->writable = true;
}

static void calibrate_refs(struct igt_gup_calibration *cal)
{
	static const struct {
		const char *name;
		enum igt_gup_ref_kind kind;
		void (*map)(struct igt_gup_ref *ref, struct ref_map *m);
	} ref_types[] = {
		{ "anon", IGT_GUP_REF_MUST_PIN, map_anon },
		{ "memfd", IGT_GUP_REF_MUST_PIN, map_memfd },
		{ "packet-ring", IGT_GUP_REF_MUST_PIN_UNMAPPED, map_packet_ring },
		{ "perf-ring", IGT_GUP_REF_MUST_REFUSE, map_perf_ring },
		{ "io_uring-sqes", IGT_GUP_REF_MUST_REFUSE, map_io_uring_sqes },
		{ "ivshmem-bar", IGT_GUP_REF_MUST_REFUSE, map_ivshmem_bar },
		{ "vvar", IGT_GUP_REF_MUST_REFUSE, map_vvar },
	};
	struct ref_map maps[IGT_GUP_MAX_REFS];

	_Static_assert(sizeof(ref_types) / sizeof(ref_types[0]) <=
		       IGT_GUP_MAX_REFS, "IGT_GUP_MAX_REFS too small");
	memset(maps, 0, sizeof(maps));
	for (size_t i = 0; i < sizeof(ref_types) / sizeof(ref_types[0]); i++) {
		struct igt_gup_ref *ref = add_ref(cal, ref_types[i].name,
						  ref_types[i].kind);

		maps[i].fd = -1;
		ref_types[i].map(ref, &maps[i]);
		if (!ref->available)
			continue;
		if (!ref->vmflags[0]) {
			struct igt_vma_info vma;

			if (!igt_vma_lookup(maps[i].target, &vma))
				snprintf(ref->vmflags, sizeof(ref->vmflags),
					 "%s", vma.vmflags);
		}
		for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
			const struct igt_gup_probe *probe = &igt_gup_probes[p];

			if (probe->needs_write && !ref->writable)
				continue;
			igt_gup_run(probe, maps[i].target, page_size(),
				    ref->writable, &ref->res[p]);
			ref->ran[p] = true;
		}
	}
	for (int i = 0; i < cal->num_refs; i++)
		unmap_ref(&maps[i]);
}

void igt_gup_calibrate(struct igt_gup_calibration *cal)
{
	memset(cal, 0, sizeof(*cal));
	calibrate_refs(cal);
	igt_gup_calibration_judge(cal);
}

const char *igt_gup_cal_state_name(enum igt_gup_cal_state state)
{
	switch (state) {
	case IGT_GUP_CAL_OK:
		return "calibrated";
	case IGT_GUP_CAL_INCONCLUSIVE:
		return "inconclusive";
	case IGT_GUP_CAL_COPIES:
		return "NOT calibrated (copies)";
	case IGT_GUP_CAL_PINS_PFNMAP:
		return "PINS VM_PFNMAP";
	default:
		return "NOT calibrated";
	}
}

/*
 * Where a probe must pin: the ordinary references (anon, memfd) always,
 * and the one whose pages have no ->mapping for a probe that may not
 * see such a pin (futex). false with @why set where it did not.
 */
static bool judge_must_pin(const struct igt_gup_calibration *cal,
			   const struct igt_gup_probe *probe,
			   enum igt_gup_ref_kind kind, char *why, size_t wl)
{
	bool any = false;
	char e[32];

	for (int r = 0; r < cal->num_refs; r++) {
		const struct igt_gup_ref *ref = &cal->refs[r];
		const struct igt_gup_result *res = &ref->res[probe->id];

		if (ref->kind != kind)
			continue;
		any = true;
		if (!ref->available) {
			snprintf(why, wl, "%s reference unavailable: %s",
				 ref->name, ref->why);
			return false;
		}
		if (!ref->ran[probe->id]) {
			snprintf(why, wl, "did not run on the %s reference",
				 ref->name);
			return false;
		}
		if (res->status == IGT_GUP_UNAVAILABLE) {
			snprintf(why, wl, "%s", res->reason);
			return false;
		}
		if (res->status == IGT_GUP_REFUSED) {
			errname(res->err, e, sizeof(e));
			if (kind == IGT_GUP_REF_MUST_PIN_UNMAPPED)
				snprintf(why, wl,
					 "reports %s on the %s reference, whose pages have no ->mapping and which GUP pins: it cannot see such a pin (TTM pool pages are alike)",
					 e, ref->name);
			else
				snprintf(why, wl,
					 "refused (%s) on %s memory, where it must pin",
					 e, ref->name);
			return false;
		}
	}
	if (!any) {
		snprintf(why, wl, "no %s reference",
			 kind == IGT_GUP_REF_MUST_PIN_UNMAPPED ?
			 "must-pin reference without ->mapping" : "must-pin");
		return false;
	}
	return true;
}

static void judge_probe(struct igt_gup_calibration *cal,
			const struct igt_gup_probe *probe)
{
	enum igt_gup_cal_state *st = &cal->state[probe->id];
	char *why = cal->reason[probe->id];
	size_t wl = sizeof(cal->reason[probe->id]);
	char pin_why[320] = "", unmapped_why[320] = "";
	bool pins, sees_unmapped = true;
	int refused = 0;

	/* a VM_PFNMAP reference pinned: the kernel's bug, or a copy */
	for (int r = 0; r < cal->num_refs; r++) {
		const struct igt_gup_ref *ref = &cal->refs[r];
		const struct igt_gup_result *res = &ref->res[probe->id];

		if (ref->kind != IGT_GUP_REF_MUST_REFUSE || !ref->available ||
		    !ref->ran[probe->id])
			continue;
		if (res->status == IGT_GUP_REFUSED) {
			refused++;
		} else if (res->status == IGT_GUP_PINNED && probe->copies) {
			*st = IGT_GUP_CAL_COPIES;
			snprintf(why, wl,
				 "this filesystem serves O_DIRECT by copying: %zd bytes moved into the VM_PFNMAP %s mapping (%.100s)",
				 res->bytes, ref->name,
				 dio.dir[0] ? dio.dir : "no scratch directory");
			return;
		} else if (res->status == IGT_GUP_PINNED) {
			char said[sizeof(res->reason)];

			*st = IGT_GUP_CAL_PINS_PFNMAP;
			cal->pinned_pfnmap[probe->id] = true;
			/* both in *cal: the compiler cannot tell they differ */
			memcpy(said, res->reason, sizeof(said));
			snprintf(why, wl, "%s the VM_PFNMAP %s mapping%s%.190s",
				 probe->is_gup ? "pinned" : "populated",
				 ref->name, said[0] ? ": " : "", said);
			return;
		}
	}

	pins = judge_must_pin(cal, probe, IGT_GUP_REF_MUST_PIN, pin_why,
			      sizeof(pin_why));
	if (probe->blind_unmapped)
		sees_unmapped = judge_must_pin(cal, probe,
					       IGT_GUP_REF_MUST_PIN_UNMAPPED,
					       unmapped_why,
					       sizeof(unmapped_why));
	if (!pins) {
		*st = IGT_GUP_CAL_UNCALIBRATED;
		snprintf(why, wl, "%s", pin_why);
		return;
	}
	if (!sees_unmapped) {
		*st = IGT_GUP_CAL_INCONCLUSIVE;
		snprintf(why, wl, "%s", unmapped_why);
		return;
	}
	if (!refused) {
		size_t n = snprintf(why, wl,
				    "no %sVM_PFNMAP mapping to check it against (",
				    probe->needs_write ? "writable " : "");

		for (int r = 0; r < cal->num_refs && n < wl; r++) {
			const struct igt_gup_ref *ref = &cal->refs[r];

			if (ref->kind != IGT_GUP_REF_MUST_REFUSE)
				continue;
			n += snprintf(why + n, wl - n, "%s%s: %s",
				      n > 40 ? "; " : "", ref->name,
				      ref->available ?
				      (ref->writable ? "unavailable probe" :
				       "read-only") : ref->why);
		}
		if (n < wl - 1)
			strcat(why, ")");
		*st = IGT_GUP_CAL_UNCALIBRATED;
		return;
	}
	*st = IGT_GUP_CAL_OK;
	snprintf(why, wl, "%s on anon and memfd%s, refused on %d VM_PFNMAP reference%s",
		 probe->is_gup ? "pinned" : "populated",
		 probe->blind_unmapped ? " and on pages without ->mapping" : "",
		 refused, refused == 1 ? "" : "s");
}

/*
 * Pure: reads only what the references recorded, so that recorded
 * outcomes (selftests/gup_check.c) can be judged without the kernel.
 */
void igt_gup_calibration_judge(struct igt_gup_calibration *cal)
{
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		cal->pinned_pfnmap[p] = false;
		judge_probe(cal, &igt_gup_probes[p]);
		cal->calibrated[p] = cal->state[p] == IGT_GUP_CAL_OK;
	}
}

const char *igt_gup_direct_io_dir(void)
{
	return dio_file() >= 0 ? dio.dir : NULL;
}

void igt_gup_calibration_print(const struct igt_gup_calibration *cal,
			       void (*print)(const char *line))
{
	char line[1024];

	snprintf(line, sizeof(line), "O_DIRECT scratch file: %s",
		 igt_gup_direct_io_dir() ? igt_gup_direct_io_dir() : dio.why);
	print(line);
	print("must-pin*: pages without ->mapping, for probes that may not see their pin");

	for (int r = 0; r < cal->num_refs; r++) {
		const struct igt_gup_ref *ref = &cal->refs[r];

		snprintf(line, sizeof(line), "reference %-14s %-12s %s%s%s",
			 ref->name,
			 ref->kind == IGT_GUP_REF_MUST_PIN ? "must-pin" :
			 ref->kind == IGT_GUP_REF_MUST_PIN_UNMAPPED ?
			 "must-pin*" : "must-refuse",
			 ref->available ? (ref->writable ? "rw " : "ro ") :
			 "unavailable: ",
			 ref->available ? "VmFlags: " : ref->why,
			 ref->available ? ref->vmflags : "");
		print(line);
	}
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		const struct igt_gup_probe *probe = &igt_gup_probes[p];
		size_t n;

		n = snprintf(line, sizeof(line), "probe %-20s", probe->name);
		for (int r = 0; r < cal->num_refs && n < sizeof(line); r++) {
			const struct igt_gup_ref *ref = &cal->refs[r];
			char res[256];

			if (!ref->available || !ref->ran[p])
				continue;
			igt_gup_result_str(probe, &ref->res[p], res,
					   sizeof(res));
			n += snprintf(line + n, sizeof(line) - n, " %s=%s",
				      ref->name, res);
		}
		if (n < sizeof(line))
			snprintf(line + n, sizeof(line) - n, " -> %s: %s",
				 igt_gup_cal_state_name(cal->state[p]),
				 cal->reason[p]);
		print(line);
	}
}
