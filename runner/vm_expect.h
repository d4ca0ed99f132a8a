/* SPDX-License-Identifier: MIT */
/*
 * vm/expectations.txt as data: KERNEL DRIVER PATH VERDICT COMMIT REASON
 * lines, looked up the way igt_vm_results matrix --expect matches them
 * (KERNEL a version prefix of the results' name, DRIVER and PATH globs).
 */
#ifndef VM_EXPECT_H
#define VM_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "vm_util.h"

struct matrix;

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

/*
 * The file's good lines into @x; returns how many lines were bad, each
 * with a line in @bad, or -1 with a message on stderr when the file is
 * unreadable (then @x is empty).
 */
int expect_load(const char *file, struct expectations *x, struct strbuf *bad);
/*
 * Does an expectation's KERNEL name this column? A version prefix ends
 * where a version component ends ("6.1" is not 6.12), "*" names all.
 */
bool kernel_matches(const char *prefix, const char *name);
/* the first line for this cell, or NULL */
const struct expectation *expect_find(const struct expectations *x,
				      const char *kernel_name,
				      const char *driver, const char *path);
void expect_free(struct expectations *x);

/*
 * Marks each cell of @m expected, unexpected or new by every line of @x
 * that names it (the last one's verdict and commit are the cell's); lines
 * for MISMATCH, missing cells and the summary line go into @msg, the new
 * cells too with @verbose. Returns the number of mismatches.
 */
int expect_check(const struct expectations *x, const char *file,
		 struct matrix *m, bool verbose, struct strbuf *msg);

#endif
