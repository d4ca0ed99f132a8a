// SPDX-License-Identifier: MIT
/* summary.txt: the count of each result, and the total (vm_write.h). */

#include <stdio.h>
#include <stdlib.h>

#include "vm_write.h"

int write_summary(const char *dir, const struct entries *es)
{
	int counts[NUM_RESULTS] = { };
	struct strbuf sum = { };
	char *path;
	int ret;

	for (size_t i = 0; i < es->n; i++) {
		int ri = result_index(es->v[i].result);

		if (ri >= 0)
			counts[ri]++;
	}
	for (int i = 0; i < NUM_RESULTS; i++)
		sb_addf(&sum, "%s: %d\n", result_names[i], counts[i]);
	sb_addf(&sum, "total: %zu\n", es->n);
	if (asprintf(&path, "%s/summary.txt", dir) < 0)
		die("out of memory");
	ret = write_string(path, sum.s);
	free(path);
	sb_free(&sum);
	return ret;
}
