// SPDX-License-Identifier: MIT
/*
 * VMA inspection through /proc/self/smaps and PAGEMAP_SCAN.
 *
 * smaps is the only place where user space can see a VMA's vm_flags, and
 * VM_PFNMAP ("pf") is the flag that makes slow GUP refuse a mapping. The
 * parser is kept free of I/O so that it can be fed recorded smaps text.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "igt_vma.h"

static const struct {
	const char name[3];
	uint64_t bit;
} vma_flag_names[] = {
	{ "rd", IGT_VMA_RD }, { "wr", IGT_VMA_WR }, { "sh", IGT_VMA_SH },
	{ "pf", IGT_VMA_PF }, { "io", IGT_VMA_IO }, { "mm", IGT_VMA_MM },
	{ "dd", IGT_VMA_DD }, { "de", IGT_VMA_DE }, { "hg", IGT_VMA_HG },
	{ "nh", IGT_VMA_NH }, { "lo", IGT_VMA_LO }, { "ht", IGT_VMA_HT },
};

/*
 * Returns the number of mnemonics read. Unknown two-letter mnemonics are
 * fine (each kernel adds some); anything else is malformed.
 */
int igt_vma_parse_flags(const char *vmflags, uint64_t *flags)
{
	const char *p = vmflags;
	int count = 0;

	*flags = 0;
	for (;;) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		/* the kernel prints ?? for a flag bit it has no name for */
		if (n == 2 && p[0] == '?' && p[1] == '?') {
			count++;
			p += n;
			continue;
		}
		if (n != 2 || !islower((unsigned char)p[0]) ||
		    !(islower((unsigned char)p[1]) ||
		      isdigit((unsigned char)p[1])))
			return -EINVAL;
		for (size_t i = 0; i < sizeof(vma_flag_names) /
				       sizeof(vma_flag_names[0]); i++)
			if (!memcmp(vma_flag_names[i].name, p, 2))
				*flags |= vma_flag_names[i].bit;
		count++;
		p += n;
	}

	return count;
}

/* "start-end perms offset dev inode [name]" */
static bool parse_header(const char *line, size_t len,
			 struct igt_vma_info *info)
{
	char buf[512];
	unsigned long long start, end, pgoff;
	char perms[8];
	int name_at = 0;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';

	if (sscanf(buf, "%llx-%llx %7s %llx %*s %*u %n",
		   &start, &end, perms, &pgoff, &name_at) < 4)
		return false;
	if (strlen(perms) != 4 || end <= start)
		return false;

	memset(info, 0, sizeof(*info));
	info->start = start;
	info->end = end;
	memcpy(info->perms, perms, 5);
	info->pgoff = pgoff;
	if (name_at > 0 && (size_t)name_at < len) {
		const char *name = buf + name_at;
		size_t n = strlen(name);

		while (n && isspace((unsigned char)name[n - 1]))
			n--;
		if (n >= sizeof(info->name))
			n = sizeof(info->name) - 1;
		memcpy(info->name, name, n);
		info->name[n] = '\0';
	}
	return true;
}

static bool is_header(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && isxdigit((unsigned char)line[i]))
		i++;
	return i > 0 && i < len && line[i] == '-';
}

static void parse_field(const char *line, size_t len,
			struct igt_vma_info *info)
{
	static const struct {
		const char *key;
		size_t off;
	} kb_fields[] = {
		{ "Rss:", offsetof(struct igt_vma_info, rss_kb) },
		{ "KernelPageSize:",
		  offsetof(struct igt_vma_info, kernel_page_kb) },
		{ "MMUPageSize:", offsetof(struct igt_vma_info, mmu_page_kb) },
		{ "AnonHugePages:",
		  offsetof(struct igt_vma_info, anon_huge_kb) },
		{ "FilePmdMapped:",
		  offsetof(struct igt_vma_info, file_pmd_kb) },
		{ "ShmemPmdMapped:",
		  offsetof(struct igt_vma_info, shmem_pmd_kb) },
	};
	char buf[256];

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';

	if (!strncmp(buf, "VmFlags:", 8)) {
		const char *v = buf + 8;
		size_t n;

		while (*v == ' ')
			v++;
		n = strlen(v);
		while (n && isspace((unsigned char)v[n - 1]))
			n--;
		if (n >= sizeof(info->vmflags))
			n = sizeof(info->vmflags) - 1;
		memcpy(info->vmflags, v, n);
		info->vmflags[n] = '\0';
		info->has_vmflags = igt_vma_parse_flags(info->vmflags,
							&info->flags) >= 0;
		return;
	}

	for (size_t i = 0; i < sizeof(kb_fields) / sizeof(kb_fields[0]); i++) {
		size_t kl = strlen(kb_fields[i].key);
		unsigned long v;

		if (strncmp(buf, kb_fields[i].key, kl))
			continue;
		if (sscanf(buf + kl, "%lu", &v) == 1)
			*(unsigned long *)((char *)info + kb_fields[i].off) = v;
		return;
	}
}

/*
 * Finds the VMA holding @addr in smaps text. Returns 0, -ENOENT when no
 * VMA holds it, or -EINVAL when the entry is malformed.
 */
int igt_vma_parse_smaps(const char *text, size_t len, uint64_t addr,
			struct igt_vma_info *info)
{
	const char *p = text, *end = text + len;
	bool found = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (is_header(p, ll)) {
			struct igt_vma_info cur;

			if (found)
				break;
			if (!parse_header(p, ll, &cur))
				return -EINVAL;
			if (addr >= cur.start && addr < cur.end) {
				*info = cur;
				found = true;
			}
		} else if (found) {
			parse_field(p, ll, info);
		}
		p += ll + 1;
	}

	if (!found)
		return -ENOENT;
	return 0;
}

static char *read_whole_file(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int err = errno;

		free(buf);
		if (fd >= 0)
			close(fd);
		errno = err;
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	*len = n;
	return buf;
}

/*
 * Whether the complete lines of @text from *@scanned on hold the header
 * of an entry that starts above @addr: smaps is in address order, so
 * everything about @addr has been read. *@scanned moves past them.
 */
static bool read_past(const char *text, size_t len, size_t *scanned,
		      uint64_t addr)
{
	while (*scanned < len) {
		const char *p = text + *scanned;
		const char *nl = memchr(p, '\n', len - *scanned);

		if (!nl)
			return false;
		if (is_header(p, nl - p) &&
		    strtoull(p, NULL, 16) > addr)
			return true;
		*scanned += nl - p + 1;
	}
	return false;
}

/*
 * The kernel walks each VMA's page tables to print its smaps entry, and a
 * test's own mappings lie below its libraries and stack: read the file a
 * piece at a time and stop once the entry holding @addr is complete.
 * Several addresses share one read: it stops past the highest.
 */
#define SMAPS_PIECE 4096

int igt_vma_lookup_many(const void *const *addrs, int num,
			struct igt_vma_info *infos)
{
	size_t cap = 4 * SMAPS_PIECE, n = 0, scanned = 0;
	char *text = malloc(cap);
	uint64_t last = 0;
	int fd, ret = 0, err = 0;

	/* defined even on failure; and never 0 then: callers test !ret */
	for (int i = 0; i < num; i++) {
		memset(&infos[i], 0, sizeof(infos[i]));
		if ((uintptr_t)addrs[i] > last)
			last = (uintptr_t)addrs[i];
	}
	fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !text) {
		err = fd < 0 ? errno : ENOMEM;
		goto out;
	}
	while (!read_past(text, n, &scanned, last)) {
		ssize_t r;

		if (cap - n < SMAPS_PIECE) {
			char *nt = realloc(text, cap * 2);

			if (!nt) {
				err = ENOMEM;
				goto out;
			}
			text = nt;
			cap *= 2;
		}
		r = read(fd, text + n, SMAPS_PIECE);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			goto out;
		}
		if (r == 0)
			break;
		n += r;
	}
out:
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < num && !err; i++) {
		int r = igt_vma_parse_smaps(text, n, (uintptr_t)addrs[i],
					    &infos[i]);

		if (r && !ret)
			ret = r;
	}
	free(text);
	return err ? -err : ret;
}

int igt_vma_lookup(const void *addr, struct igt_vma_info *info)
{
	return igt_vma_lookup_many(&addr, 1, info);
}

/* Finds a VMA by its name column, e.g. "[vvar]". */
int igt_vma_find_named(const char *name, struct igt_vma_info *info)
{
	size_t len;
	char *text = read_whole_file("/proc/self/maps", &len);
	const char *p, *end;
	int ret = -ENOENT;

	if (!text)
		return -errno;
	end = text + len;
	for (p = text; p < end; ) {
		const char *nl = memchr(p, '\n', end - p);
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct igt_vma_info cur;

		if (parse_header(p, ll, &cur) && !strcmp(cur.name, name)) {
			ret = igt_vma_lookup((void *)(uintptr_t)cur.start,
					     info);
			break;
		}
		p += ll + 1;
	}
	free(text);
	return ret;
}

/*
 * PAGEMAP_SCAN came with 6.7; the uapi headers of older distributions
 * lack it, and the ABI is fixed, so it is spelled out here.
 */
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#define PAGE_IS_PRESENT (1 << 3)
#define PAGE_IS_HUGE (1 << 6)
#endif

enum igt_vma_huge igt_vma_huge_entries(const void *addr, size_t len,
				       const struct igt_vma_info *vma,
				       char *why, size_t why_len)
{
	struct page_region regions[64];
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = (uintptr_t)addr,
		.end = (uintptr_t)addr + len,
		.vec = (uintptr_t)regions,
		.vec_len = sizeof(regions) / sizeof(regions[0]),
		.category_anyof_mask = PAGE_IS_PRESENT,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_HUGE,
	};
	struct igt_vma_info own;
	bool present = false;
	int fd, n;

	if (!vma || (uintptr_t)addr < vma->start ||
	    (uintptr_t)addr >= vma->end)
		vma = igt_vma_lookup(addr, &own) ? NULL : &own;
	/*
	 * The page walker skips VM_PFNMAP VMAs altogether, so an empty
	 * answer there says nothing about the entries.
	 */
	if (vma && igt_vma_has(vma, IGT_VMA_PF)) {
		snprintf(why, why_len,
			 "PAGEMAP_SCAN does not walk VM_PFNMAP mappings");
		return IGT_VMA_HUGE_UNKNOWN;
	}

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open /proc/self/pagemap: %s",
			 strerror(errno));
		return IGT_VMA_HUGE_UNKNOWN;
	}

	while (arg.start < arg.end) {
		n = ioctl(fd, PAGEMAP_SCAN, &arg);
		if (n < 0) {
			snprintf(why, why_len,
				 "PAGEMAP_SCAN unsupported (%s; needs 6.7+)",
				 strerror(errno));
			close(fd);
			return IGT_VMA_HUGE_UNKNOWN;
		}
		for (int i = 0; i < n; i++) {
			present = true;
			if (regions[i].categories & PAGE_IS_HUGE) {
				close(fd);
				snprintf(why, why_len, "huge entry at +0x%" PRIx64,
					 regions[i].start - (uintptr_t)addr);
				return IGT_VMA_HUGE_SOME;
			}
		}
		if (arg.walk_end <= arg.start)
			break;
		arg.start = arg.walk_end;
	}
	close(fd);

	if (!present) {
		snprintf(why, why_len, "no present entries reported");
		return IGT_VMA_HUGE_UNKNOWN;
	}
	snprintf(why, why_len, "all present entries are base pages");
	return IGT_VMA_HUGE_NONE;
}

const char *igt_vma_huge_name(enum igt_vma_huge h)
{
	switch (h) {
	case IGT_VMA_HUGE_NONE:
		return "none";
	case IGT_VMA_HUGE_SOME:
		return "huge";
	default:
		return "unknown";
	}
}
