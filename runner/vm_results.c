// SPDX-License-Identifier: MIT
/*
 * igt_vm_results: the host side of the VM matrix. It reads the record
 * streams igt_guest_runner wrote over the serial port, one file per boot,
 * and is the only writer of results (docs/vm-harness-contract.md).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_util.h"

struct resume_ctx {
	char **keys;
	size_t n;
};

static void resume_cb(json_object *rec, void *data)
{
	struct resume_ctx *ctx = data;
	const char *bin, *sub;
	char *key;

	if (strcmp(jstr(rec, "type", ""), "start"))
		return;
	bin = jstr(rec, "test", NULL);
	sub = jstr(rec, "subtest", NULL);
	/* the guest reads the pair with scanf("%s %s") */
	if (!bin || !sub || !*bin || !*sub || strpbrk(bin, " \t\r\n") ||
	    strpbrk(sub, " \t\r\n"))
		return;

	if (asprintf(&key, "%s %s", bin, sub) < 0)
		die("out of memory");
	for (size_t i = 0; i < ctx->n; i++) {
		if (!strcmp(ctx->keys[i], key)) {
			free(key);
			return;
		}
	}
	ctx->keys = xrealloc(ctx->keys, (ctx->n + 1) * sizeof(*ctx->keys));
	ctx->keys[ctx->n++] = key;
}

int cmd_resume_list(int argc, char **argv)
{
	struct resume_ctx ctx = { };
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: igt_vm_results resume-list STREAM...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stream_stats st = { };

		/* a boot that never wrote anything leaves no file: fine */
		if (stream_read(argv[i], resume_cb, &ctx, &st) && errno != ENOENT) {
			fprintf(stderr, "igt_vm_results: %s: %s\n", argv[i],
				strerror(errno));
			ret = 1;
		}
	}
	for (size_t i = 0; i < ctx.n; i++) {
		printf("%s\n", ctx.keys[i]);
		free(ctx.keys[i]);
	}
	free(ctx.keys);
	return ret;
}

static void usage(FILE *f)
{
	fputs("usage: igt_vm_results resume-list STREAM...\n"
	      "       igt_vm_results build --name NAME --out DIR "
	      "[--console FILE]... STREAM...\n"
	      "       igt_vm_results matrix [--html FILE] [--expect FILE] "
	      "[--verbose] DIR...\n"
	      "       igt_vm_results merge --out DIR [--config FILE] "
	      "[--html FILE] [--expect FILE]\n"
	      "                            [--verbose] RUN...\n"
	      "       igt_vm_results export --format drm-ci --expect FILE "
	      "--out DIR KERNELDIR...\n"
	      "       igt_vm_results status STREAM...\n"
	      "\n"
	      "The N-th --console belongs to the N-th STREAM (one pair per "
	      "boot).\n", f);
}

int prog_argc;
char **prog_argv;

int main(int argc, char **argv)
{
	prog_argc = argc;
	prog_argv = argv;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "resume-list"))
		return cmd_resume_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 1, argv + 1);
	if (!strcmp(argv[1], "matrix"))
		return cmd_matrix(argc - 1, argv + 1);
	if (!strcmp(argv[1], "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(argv[1], "export"))
		return cmd_export(argc - 1, argv + 1);
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	/* one line that names what was wrong, then the usage */
	fprintf(stderr, "igt_vm_results: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
