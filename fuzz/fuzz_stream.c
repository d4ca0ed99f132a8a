// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the guest-to-host record stream (runner/vm_util.c
 * stream_read) and everything igt_vm_results build makes of it: markers,
 * dmesg records, the console search of a lost job, results.json and
 * junit.xml. The input is up to four parts separated by a form feed:
 * stream of boot 0, its console, stream of boot 1, its console. Truncated,
 * interleaved, garbage and oversized lines all come from the mutator; the
 * seeds are real streams. Whatever comes in, build must succeed and write
 * a results.json that parses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const parts[] = { "s0", "c0", "s1", "c1" };
	const uint8_t *p = data, *end = data + size;
	int n = 0;
	json_object *res;

	if (size > 1 << 20)
		return 0;
	while (n < 4) {
		const uint8_t *ff = memchr(p, '\f', end - p);
		const uint8_t *stop = ff && n < 3 ? ff : end;

		fuzz_write(parts[n++], p, stop - p);
		if (stop == end)
			break;
		p = stop + 1;
	}
	res = fuzz_build(n > 2 ? 2 : 1, n > 3 ? 2 : (n > 1 ? 1 : 0));
	json_object_put(res);
	return 0;
}
