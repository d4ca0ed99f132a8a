// SPDX-License-Identifier: MIT
/*
 * Unit test of the smaps parser, on smaps text recorded from real kernels
 * (fixtures/) and on broken text.
 */

/**
 * TEST: vma parse
 * Category: Infrastructure
 * Description: The /proc/self/smaps parser finds the right VMA and reads
 *	its VmFlags and page sizes from real kernels' text.
 *
 * SUBTEST: host-fixture
 * Description: smaps recorded on a 6.18 host: anon, memfd, perf ring, vvar.
 *
 * SUBTEST: drm-fixtures
 * Description: smaps of dumb-buffer mappings recorded in QEMU guests on
 *	Debian's 5.10 (VM_MIXEDMAP or no flag: before the fixes) and 6.1
 *	(VM_PFNMAP) for vgem, virtio_gpu, bochs, qxl and cirrus.
 *
 * SUBTEST: malformed
 * Description: Broken, truncated and hostile smaps text is rejected or
 *	skipped without reading out of bounds.
 *
 * SUBTEST: live
 * Description: The parser agrees with this kernel about a fresh mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igt.h"
#include "igt_vma.h"

IGT_TEST_DESCRIPTION("Unit test of the smaps/VmFlags parser.");

static char *load(const char *name, size_t *len)
{
	const char *dir = getenv("IGT_FIXTURES_DIR");
	char path[512];
	char *buf;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "fixtures", name);
	fd = open(path, O_RDONLY);
	igt_assert_f(fd >= 0, "cannot open %s: %s\n", path, strerror(errno));
	buf = malloc(1 << 20);
	igt_assert(buf);
	n = read(fd, buf, (1 << 20) - 1);
	igt_assert(n > 0);
	buf[n] = '\0';
	close(fd);
	*len = n;
	return buf;
}

static void expect(const char *text, size_t len, uint64_t addr,
		   const char *name, uint64_t must, uint64_t must_not,
		   unsigned long kpage)
{
	struct igt_vma_info vma;

	igt_assert_eq(igt_vma_parse_smaps(text, len, addr, &vma), 0);
	igt_assert_f(!strcmp(vma.name, name), "name \"%s\", want \"%s\"\n",
		     vma.name, name);
	igt_assert(vma.has_vmflags);
	igt_assert_f(igt_vma_has(&vma, must) && !(vma.flags & must_not),
		     "%s: VmFlags \"%s\"\n", name, vma.vmflags);
	igt_assert_eq(vma.kernel_page_kb, kpage);
	igt_assert(addr >= vma.start && addr < vma.end);
}

igt_main
{
	igt_describe("Real smaps text from a 6.18 host.");
	igt_subtest("host-fixture") {
		size_t len;
		char *t = load("smaps-6.18-host.txt", &len);
		struct igt_vma_info vma;

		expect(t, len, 0x7f60c9600000, "",
		       IGT_VMA_RD | IGT_VMA_WR, IGT_VMA_PF | IGT_VMA_SH, 4);
		expect(t, len, 0x7f60c9dc5fff, "/memfd:igt-fixture (deleted)",
		       IGT_VMA_SH | IGT_VMA_WR, IGT_VMA_PF | IGT_VMA_IO, 4);
		expect(t, len, 0x7f60c9dc8000, "anon_inode:[perf_event]",
		       IGT_VMA_PF | IGT_VMA_IO | IGT_VMA_DD | IGT_VMA_DE,
		       IGT_VMA_MM, 4);
		expect(t, len, 0x7f60c9dcc000, "[vvar]",
		       IGT_VMA_PF | IGT_VMA_IO | IGT_VMA_RD, IGT_VMA_WR, 4);

		igt_assert_eq(igt_vma_parse_smaps(t, len, 0x7f60c9600000,
						  &vma), 0);
		igt_assert_eq(vma.rss_kb, 4096);
		igt_assert_eq(vma.end - vma.start, 4ul << 20);
		/* a hole between mappings */
		igt_assert_eq(igt_vma_parse_smaps(t, len, 0x1000, &vma),
			      -ENOENT);
		free(t);
	}

	igt_describe("Real smaps text of DRM dumb buffers from Debian's 5.10 "
		     "and 6.1 kernels.");
	igt_subtest("drm-fixtures") {
		static const struct {
			const char *file;
			uint64_t addr;
			const char *node;
			uint64_t must, must_not;
		} maps[] = {
			/* 5.10: vgem hands shmem pages to core mm */
			{ "smaps-5.10-drm-dumb.txt", 0x7fa4eeaed000,
			  "/dev/dri/card0", IGT_VMA_SH,
			  IGT_VMA_PF | IGT_VMA_MM | IGT_VMA_IO },
			/* 5.10: the shmem helper's VM_MIXEDMAP */
			{ "smaps-5.10-drm-dumb.txt", 0x7fa4eeaad000,
			  "/dev/dri/card1", IGT_VMA_MM, IGT_VMA_PF },
			/* 5.10: TTM's VM_MIXEDMAP | VM_IO */
			{ "smaps-5.10-drm-dumb.txt", 0x7fa4eea6d000,
			  "/dev/dri/card2", IGT_VMA_MM | IGT_VMA_IO,
			  IGT_VMA_PF },
			{ "smaps-5.10-drm-dumb.txt", 0x7fa4eea2dfff,
			  "/dev/dri/card3", IGT_VMA_MM | IGT_VMA_IO,
			  IGT_VMA_PF },
			{ "smaps-5.10-drm-dumb.txt", 0x7fa4ee9ed000,
			  "/dev/dri/card4", IGT_VMA_MM, IGT_VMA_PF },
			/* 6.1: VM_PFNMAP everywhere, VM_IO for TTM */
			{ "smaps-6.1-drm-dumb.txt", 0x7f3c2a7d2000,
			  "/dev/dri/card0", IGT_VMA_PF | IGT_VMA_DD,
			  IGT_VMA_MM },
			{ "smaps-6.1-drm-dumb.txt", 0x7f3c2a792000,
			  "/dev/dri/card1", IGT_VMA_PF, IGT_VMA_MM | IGT_VMA_IO },
			{ "smaps-6.1-drm-dumb.txt", 0x7f3c2a752000,
			  "/dev/dri/card2", IGT_VMA_PF | IGT_VMA_IO,
			  IGT_VMA_MM },
			{ "smaps-6.1-drm-dumb.txt", 0x7f3c2a712000,
			  "/dev/dri/card3", IGT_VMA_PF | IGT_VMA_IO,
			  IGT_VMA_MM },
			{ "smaps-6.1-drm-dumb.txt", 0x7f3c2a711fff,
			  "/dev/dri/card4", IGT_VMA_PF, IGT_VMA_MM },
		};

		for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
			size_t len;
			char *t = load(maps[i].file, &len);

			expect(t, len, maps[i].addr, maps[i].node,
			       maps[i].must, maps[i].must_not, 4);
			free(t);
		}
	}

	igt_describe("Broken text gets an error, never a wrong answer.");
	igt_subtest("malformed") {
		static const char *const bad[] = {
			"",
			"\n\n\n",
			"zzzz-1000 rw-p 0 0:0 0\n",
			"1000-2000\n",
			"2000-1000 rw-p 00000000 00:00 0\nVmFlags: rd\n",
			"1000-2000 rwxpq 00000000 00:00 0\n",
		};
		static const char truncated[] =
			"1000-3000 rw-s 00000000 00:01 5 /x\nRss: 8 kB\nVmFl";
		static const char bad_flags[] =
			"1000-3000 rw-s 00000000 00:01 5 /x\nVmFlags: rd wrx pf\n";
		static const char later[] =
			"1000-2000 r--p 00000000 00:00 0 [vvar]\n"
			"VmFlags: rd pf io\n"
			"2000-3000 rw-p 00000000 00:00 0\n"
			"VmFlags: rd wr\n";
		struct igt_vma_info vma;
		uint64_t flags;
		char *big;

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
			igt_assert_f(igt_vma_parse_smaps(bad[i], strlen(bad[i]),
							 0x1800, &vma) < 0,
				     "accepted bad text #%zu\n", i);

		/* cut mid-line: the entry is found, VmFlags is not */
		igt_assert_eq(igt_vma_parse_smaps(truncated, sizeof(truncated) - 1,
						  0x1000, &vma), 0);
		igt_assert(!vma.has_vmflags);
		igt_assert_eq(vma.rss_kb, 8);

		igt_assert_eq(igt_vma_parse_smaps(bad_flags,
						  sizeof(bad_flags) - 1,
						  0x1000, &vma), 0);
		igt_assert(!vma.has_vmflags);
		igt_assert_lt(igt_vma_parse_flags("rd  wr\tpf", &flags), 4);
		igt_assert_eq(flags, IGT_VMA_RD | IGT_VMA_WR | IGT_VMA_PF);
		igt_assert_eq(igt_vma_parse_flags("p", &flags), -EINVAL);
		/* a bit the kernel has no mnemonic for */
		igt_assert_eq(igt_vma_parse_flags("rd ?? pf", &flags), 3);
		igt_assert_eq(flags, IGT_VMA_RD | IGT_VMA_PF);

		/* the second VMA's fields must not leak into the first */
		igt_assert_eq(igt_vma_parse_smaps(later, sizeof(later) - 1,
						  0x1000, &vma), 0);
		igt_assert(igt_vma_has(&vma, IGT_VMA_PF));
		igt_assert(!(vma.flags & IGT_VMA_WR));
		igt_assert_eq(igt_vma_parse_smaps(later, sizeof(later) - 1,
						  0x2fff, &vma), 0);
		igt_assert(!(vma.flags & IGT_VMA_PF));

		/* an absurdly long line, no NUL inside the given length */
		big = malloc(1 << 20);
		igt_assert(big);
		memset(big, 'a', 1 << 20);
		igt_assert(igt_vma_parse_smaps(big, 1 << 20, 0x1000, &vma) < 0);
		free(big);
	}

	igt_describe("The parser agrees with the running kernel.");
	igt_subtest("live") {
		struct igt_vma_info vma;
		char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		igt_assert(p != MAP_FAILED);
		p[0] = 1;
		igt_assert_eq(igt_vma_lookup(p + 4096, &vma), 0);
		igt_assert_eq(vma.start, (uintptr_t)p);
		igt_assert(igt_vma_has(&vma, IGT_VMA_SH | IGT_VMA_WR));
		igt_assert_eq(igt_vma_find_named("[vvar]", &vma), 0);
		igt_assert(igt_vma_has(&vma, IGT_VMA_PF));
		munmap(p, 8192);
	}

	igt_describe("One read of smaps answers for several addresses as "
		     "one lookup each would, the stack's above the rest, and "
		     "an address no VMA holds fails without hiding the others.");
	igt_subtest("live-many") {
		struct igt_vma_info one, many[4], stack;
		/*
		 * Three pages between two PROT_NONE guards: under ASan, which
		 * maps memory as it goes, a bare mapping may merge with a
		 * neighbour and its VMA change between two reads of smaps.
		 */
		char *g = mmap(NULL, 5 * 4096, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *p = g + 4096;
		const void *addrs[4];

		igt_assert(g != MAP_FAILED);
		igt_assert_eq(mprotect(p, 3 * 4096, PROT_READ | PROT_WRITE), 0);
		/* two VMAs: the middle page made read-only */
		igt_assert_eq(mprotect(p + 4096, 4096, PROT_READ), 0);
		/*
		 * The main stack, found by name: a local variable may live
		 * elsewhere (ASan's fake stack is heap memory).
		 */
		igt_assert_eq(igt_vma_find_named("[stack]", &stack), 0);
		addrs[0] = (const void *)(uintptr_t)stack.start;
		addrs[1] = p;
		addrs[2] = p + 4096;
		igt_assert_eq(igt_vma_lookup_many(addrs, 3, many), 0);
		for (int i = 0; i < 3; i++) {
			igt_assert_eq(igt_vma_lookup(addrs[i], &one), 0);
			/* the stack may have grown down in between */
			if (i)
				igt_assert_eq(many[i].start, one.start);
			igt_assert_eq(many[i].end, one.end);
			igt_assert(!strcmp(many[i].vmflags, one.vmflags));
		}
		igt_assert(!strcmp(many[0].name, "[stack]"));
		igt_assert(many[1].end == many[2].start);
		igt_assert(!strcmp(many[2].perms, "r--p"));

		/* a hole: munmapped, so no VMA holds it */
		igt_assert_eq(munmap(p + 2 * 4096, 4096), 0);
		addrs[3] = p + 2 * 4096;
		igt_assert_eq(igt_vma_lookup_many(addrs, 4, many), -ENOENT);
		igt_assert_eq(many[1].start, (uintptr_t)p);
		igt_assert_eq(many[3].start, 0);
		munmap(g, 5 * 4096);
	}
}
