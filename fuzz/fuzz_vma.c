// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the smaps parser and the VmFlags parser (lib/igt_vma.c)
 * on arbitrary kernel text. The first byte picks the page looked up,
 * relative to the first header's start, so that most inputs reach the
 * field parser instead of ending in -ENOENT.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt_vma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igt_vma_info info;
	uint64_t addr, flags;
	char *copy;
	int ret;

	if (!size)
		return 0;

	/* the text alone, NUL-terminated, only to pick an address */
	copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	addr = strtoull(copy, NULL, 16) + (uint64_t)data[0] * 4096;

	/* exactly size - 1 bytes: ASan sees any read past the text */
	ret = igt_vma_parse_smaps((const char *)data + 1, size - 1, addr,
				  &info);
	if (ret != 0 && ret != -ENOENT && ret != -EINVAL)
		abort();
	if (!ret) {
		if (addr < info.start || addr >= info.end)
			abort();
		if (strnlen(info.name, sizeof(info.name)) == sizeof(info.name) ||
		    strnlen(info.vmflags, sizeof(info.vmflags)) ==
		    sizeof(info.vmflags) || strlen(info.perms) != 4)
			abort();
		/* what the parser kept must parse the same way again */
		if (info.has_vmflags &&
		    (igt_vma_parse_flags(info.vmflags, &flags) < 0 ||
		     flags != info.flags))
			abort();
	}

	/* the flags parser on its own, on the same bytes */
	ret = igt_vma_parse_flags(copy, &flags);
	if (ret < -EINVAL || (ret < 0 && ret != -EINVAL))
		abort();
	free(copy);
	return 0;
}
