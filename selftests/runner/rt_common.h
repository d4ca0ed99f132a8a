/* SPDX-License-Identifier: MIT */
/* Small helpers for the runner selftests (no QEMU needed). */
#ifndef RT_COMMON_H
#define RT_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

extern int rt_failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		rt_failures++;						\
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__,	\
			#cond);						\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

/* A fresh temporary directory, removed by rt_cleanup() unless KEEP=1. */
const char *rt_tmpdir(void);
void rt_cleanup(void);
/* "TMPDIR/name", malloc'ed */
char *rt_path(const char *name);

void rt_write(const char *path, const char *data, size_t len);
void rt_writes(const char *path, const char *s);
char *rt_read(const char *path, size_t *len);

/*
 * Runs argv (NULL-terminated); stdout and stderr go to files whose
 * contents are returned (malloc'ed) when out/err are non-NULL.
 * Returns the exit status, or 128 + signal.
 */
int rt_run(char *const argv[], char **out, char **err);

/* Stream writers: one IGTVM1 record per line. */
FILE *rt_stream(const char *path);
void rt_emit(FILE *f, json_object *rec);
void rt_boot(FILE *f, double time);
void rt_list(FILE *f, const char *bin, const char *const *subs, int exit);
void rt_start(FILE *f, const char *bin, const char *sub);
void rt_result(FILE *f, const char *bin, const char *sub, int exit, int sig,
	       bool timeout, const char *out, const char *err,
	       const char *dmesg);
void rt_done(FILE *f);

/* results.json helpers */
json_object *rt_results(const char *dir);
json_object *rt_test(json_object *results, const char *name);
const char *rt_result_of(json_object *results, const char *name);
const char *rt_field(json_object *results, const char *name,
		     const char *field);
/* totals: "" == root == the sum of the per-binary counters == #tests */
void rt_check_totals(json_object *results);

#endif
