// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: core/'s command line. The first byte picks what is fed
 * the rest of the input:
 *   0: the --run-subtest wildmat matcher, "TEXT\nPATTERN-LIST";
 *   1: a --device / IGT_DEVICE filter list;
 *   2: a test binary's command line (NUL-separated arguments) through
 *      igt_subtest_init_parse_opts(), 3: through igt_simple_init_parse_opts().
 *
 * The core ends a run with exit() (--help, --version, a bad option): this
 * target is linked with --wrap=exit so that exit() returns here instead,
 * with --wrap=fopen so that nothing is written to the host's /dev/kmsg or
 * /proc/sys/kernel/ftrace_dump_on_oops (--trace-on-oops), and with
 * --wrap=system so that no --hook command is ever run.
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_core_fuzz.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
void __wrap_exit(int code) __attribute__((noreturn));
FILE *__wrap_fopen(const char *path, const char *mode);
FILE *__real_fopen(const char *path, const char *mode);
int __wrap_system(const char *command);

static sigjmp_buf exit_jmp;
static bool exit_armed;

void __wrap_exit(int code)
{
	if (exit_armed)
		siglongjmp(exit_jmp, 1);
	_exit(code);
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (!strcmp(path, "/dev/kmsg") || !strncmp(path, "/proc/sys/", 10))
		return NULL;
	return __real_fopen(path, mode);
}

/* a --hook command from the input: checked, never run */
int __wrap_system(const char *command)
{
	if (!command)
		abort();
	return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* the version line and usage: noise, and slow on a terminal */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

static int opt_handler(int opt, int opt_index, void *data)
{
	switch (opt) {
	case 'a':
		return IGT_OPT_HANDLER_SUCCESS;
	case 'b':
		return optarg && *optarg ? IGT_OPT_HANDLER_SUCCESS :
					   IGT_OPT_HANDLER_ERROR;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}
}

static bool plain(const char *s)
{
	return !strpbrk(s, "*?[]\\,!");
}

static void fuzz_wildmat(char *s)
{
	char *nl = strchr(s, '\n');
	const char *text = s, *list = "";
	bool m;

	if (nl) {
		*nl = '\0';
		list = nl + 1;
	}
	m = __igt_wildmat(text, list);
	/* without any special character a pattern is the name itself */
	if (plain(list) && m != !strcmp(text, list))
		abort();
	if (!strcmp(list, "*") && !m)
		abort();
}

static void fuzz_filters(const char *s)
{
	int n;

	igt_device_filter_free_all();
	igt_device_filter_add(s);
	n = igt_device_filter_count();
	if (n < 0 || n > 64)
		abort();
	for (int i = 0; i < n; i++) {
		const char *f = igt_device_filter_get(i);

		if (!f || strlen(f) >= 256)
			abort();
	}
	if (igt_device_filter_get(n) || igt_device_filter_get(-1))
		abort();
	igt_device_filter_free_all();
}

static void fuzz_argv(char *s, size_t len, bool subtests)
{
	static const struct option long_opts[] = {
		{ "alpha", no_argument, NULL, 'a' },
		{ "beta", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	char *argv[MAX_ARGS + 2];
	int argc = 0;

	argv[argc++] = "fuzz_core_opts";
	for (size_t i = 0; i < len && argc <= MAX_ARGS; ) {
		argv[argc++] = s + i;
		i += strlen(s + i) + 1;
	}
	argv[argc] = NULL;

	if (!sigsetjmp(exit_jmp, 0)) {
		exit_armed = true;
		if (subtests)
			igt_subtest_init_parse_opts(&argc, argv, "ab:",
						    long_opts, "help text",
						    opt_handler, NULL);
		else
			igt_simple_init_parse_opts(&argc, argv, "ab:",
						   long_opts, "help text",
						   opt_handler, NULL);
		/* what is left must still be a NULL-free argv */
		if (argc < 1)
			abort();
		for (int i = 0; i < argc; i++)
			if (!argv[i])
				abort();
	}
	exit_armed = false;
	__igt_core_reset_options();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!size || size > 4096)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	switch (data[0] & 3) {
	case 0:
		fuzz_wildmat(s);
		break;
	case 1:
		fuzz_filters(s);
		break;
	default:
		fuzz_argv(s, size - 1, (data[0] & 3) == 2);
		break;
	}
	free(s);
	return 0;
}
