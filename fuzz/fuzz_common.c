// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "vm_util.h"

/* vm_results.c's main sets these; results.json's "cmdline" reads them */
int prog_argc;
char **prog_argv;

static char scratch[64];

static void remove_scratch(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	if (system(cmd))
		fprintf(stderr, "fuzz: cannot remove %s\n", scratch);
}

const char *fuzz_scratch(void)
{
	if (!scratch[0]) {
		snprintf(scratch, sizeof(scratch), "/dev/shm/igt-fuzz-XXXXXX");
		if (!mkdtemp(scratch)) {
			/* no /dev/shm: any tmp will do */
			snprintf(scratch, sizeof(scratch),
				 "/tmp/igt-fuzz-XXXXXX");
			if (!mkdtemp(scratch))
				abort();
		}
		atexit(remove_scratch);
	}
	return scratch;
}

char *fuzz_path(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fuzz_scratch(), name);
	return path;
}

void fuzz_write(const char *name, const void *buf, size_t len)
{
	int fd = open(fuzz_path(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		abort();
	close(fd);
}

json_object *fuzz_build(int nstreams, int nconsoles)
{
	static char *names[] = { "s0", "s1", "s2", "s3" };
	static char *cnames[] = { "c0", "c1", "c2", "c3" };
	char *argv[32], *text;
	int argc = 0;
	struct json_tokener *tok;
	json_object *res;
	size_t len;

	argv[argc++] = "build";
	argv[argc++] = "--out";
	argv[argc++] = strdup(fuzz_path("out"));
	for (int i = 0; i < nconsoles; i++) {
		argv[argc++] = "--console";
		argv[argc++] = strdup(fuzz_path(cnames[i]));
	}
	for (int i = 0; i < nstreams; i++)
		argv[argc++] = strdup(fuzz_path(names[i]));
	argv[argc] = NULL;
	prog_argc = argc;
	prog_argv = argv;

	if (cmd_build(argc, argv))
		abort();

	for (int i = 0; i < argc; i++)
		if (argv[i][0] == '/')
			free(argv[i]);

	text = read_file(fuzz_path("out/results.json"), &len);
	if (!text)
		abort();
	/* what any strict reader does: UTF-8 and JSON both checked */
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	res = json_tokener_parse_ex(tok, text, len);
	if (!res || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(res, json_type_object) ||
	    !json_object_object_get_ex(res, "tests", NULL)) {
		fprintf(stderr, "fuzz: results.json does not parse: %s\n",
			json_tokener_error_desc(json_tokener_get_error(tok)));
		abort();
	}
	json_tokener_free(tok);
	free(text);
	return res;
}
