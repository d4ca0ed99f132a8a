// SPDX-License-Identifier: MIT
/*
 * igt_vm_results status STREAM...: where a kernel's run stands, for the
 * shell scripts (vm/igt-vm-matrix), so that they never grep records.
 * Prints "STARTS STATE": the jobs started over all the streams, and
 * "done" when the last stream holds the done record, else "open".
 * Missing streams are fine (a boot that wrote nothing).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vm_util.h"

struct status_ctx {
	unsigned long starts;
	bool done;
};

static void status_cb(json_object *rec, void *data)
{
	struct status_ctx *ctx = data;
	const char *type = jstr(rec, "type", "");

	if (!strcmp(type, "start"))
		ctx->starts++;
	else if (!strcmp(type, "done"))
		ctx->done = true;
}

int cmd_status(int argc, char **argv)
{
	struct status_ctx ctx = { };

	if (argc < 2) {
		fprintf(stderr, "usage: igt_vm_results status STREAM...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stream_stats st = { };

		/* only the last stream's done record counts */
		ctx.done = false;
		if (stream_read(argv[i], status_cb, &ctx, &st) &&
		    errno != ENOENT) {
			fprintf(stderr, "igt_vm_results: %s: %s\n", argv[i],
				strerror(errno));
			return 2;
		}
	}
	printf("%lu %s\n", ctx.starts, ctx.done ? "done" : "open");
	return 0;
}
