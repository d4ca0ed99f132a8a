/* SPDX-License-Identifier: MIT */
/*
 * vm/expectations.txt as data: KERNEL DRIVER PATH VERDICT COMMIT REASON
 * lines, looked up the way igt_vm_results matrix --expect matches them
 * (KERNEL a version prefix of the results' name, DRIVER and PATH globs).
 */
#ifndef VM_EXPECT_H
#define VM_EXPECT_H

#include <stddef.h>

struct expectation {
	char *kernel;
	char *driver;
	char *path;
	char *verdict;	/* pass fail skip any crash timeout */
	char *commit;
	char *reason;
	int line;
};

struct expectations {
	struct expectation *e;
	size_t n;
};

/* 0, or -1 with a message on stderr (unreadable file, bad line) */
int expect_load(const char *file, struct expectations *x);
/* the first line for this cell, or NULL */
const struct expectation *expect_find(const struct expectations *x,
				      const char *kernel_name,
				      const char *driver, const char *path);
void expect_free(struct expectations *x);

#endif
