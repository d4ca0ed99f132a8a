/* SPDX-License-Identifier: MIT */
/* Helpers shared by the igt_vm_results subcommands. */
#ifndef VM_UTIL_H
#define VM_UTIL_H

/*
 * A kernel bug's report in a dmesg record: makes a test dmesg-warn at any
 * level, and is what the matrix counts against a pass (a bare
 * KERN_WARNING record, such as TCG's clocksource watchdog, is not).
 */
#define VM_WARN_RE "WARNING:|BUG:|Oops|bad page|general protection"

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "vm_record.h"

struct strbuf {
	char *s;
	size_t len;
	size_t alloc;
};

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands the buffer over (never NULL); the strbuf is empty afterwards. */
char *sb_steal(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* Text for XML or HTML, escaped (vm_util.c). */
void xml_escape(struct strbuf *sb, const char *s);

/* Whole file, NUL-terminated; NULL with errno set on failure. */
char *read_file(const char *path, size_t *len);
/* DIR/results.json, or NULL with a message on stderr */
json_object *results_load(const char *dir);
/* Has results.json's "tests" entries below @key (KEY@DYNAMIC)? */
bool results_has_children(json_object *tests, const char *key);
/* @s as the whole of the file @path: 0 or -errno */
int write_string(const char *path, const char *s);

/* Replaces invalid UTF-8 and NUL with U+FFFD: a C string, valid for JSON. */
char *utf8_sanitize(const char *s, size_t len, size_t *outlen);

int mkdir_p(const char *path);

struct stream_stats {
	size_t lines;		/* lines in the file */
	size_t records;		/* parsed records */
	size_t ignored;		/* lines without a record */
	size_t bad;		/* a prefix whose JSON did not parse */
};

/*
 * Calls cb for every record of a stream file, in order. A line may carry
 * console noise before the prefix, or a record cut by a crash followed by
 * a complete one: every prefix on the line is tried, and the scan goes on
 * after each record that parsed. Returns -errno if the file is unreadable.
 */
int stream_read(const char *path,
		void (*cb)(json_object *rec, void *data), void *data,
		struct stream_stats *st);

const char *jstr(json_object *o, const char *key, const char *def);
int jint(json_object *o, const char *key, int def);
double jdouble(json_object *o, const char *key, double def);
bool jbool(json_object *o, const char *key, bool def);
size_t jstrlen(json_object *o, const char *key);

/* The 11 results of IGT's totals, in igt_runner's order. */
extern const char *const result_names[];
#define NUM_RESULTS 11
int result_index(const char *result);

/* The command line as given, for results.json's "cmdline". */
extern int prog_argc;
extern char **prog_argv;

int cmd_resume_list(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif
