// SPDX-License-Identifier: MIT
/*
 * Prints the probe table as "NAME<TAB>DOC" lines: what the tests' arg[]
 * doc blocks must say about the probes (selftests/docs/doc_block.sh).
 */
#include <stdio.h>

#include "igt_gup.h"

int main(void)
{
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++)
		printf("%s\t%s\n", igt_gup_probes[p].name,
		       igt_gup_probes[p].doc);
	return 0;
}
