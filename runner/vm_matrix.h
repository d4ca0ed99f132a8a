/* SPDX-License-Identifier: MIT */
/*
 * The matrix model: one cell per (kernel, test, driver, path), the worst
 * result over that path's checks, with its expectation and the entries
 * (results.json keys) that gave it; built by runner/vm_matrix.c, checked
 * against the expectations by runner/vm_expect.c, drawn by the Markdown
 * table of runner/vm_markdown.c and the report of runner/vm_report.c.
 */
#ifndef VM_MATRIX_H
#define VM_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "vm_util.h"

/* Worst last (docs/vm-harness-contract.md, "Naming used by the matrix"). */
enum verdict {
	V_NONE,
	V_SKIP,
	V_PASS,
	V_FLAGS_ONLY,
	V_DMESG_WARN,
	V_CRASH,	/* crash, timeout, incomplete, abort */
	V_FAIL,
	V_DMESG_FAIL,
};

enum expect_state {
	EXPECT_NEW,		/* no expectation matched the cell */
	EXPECT_MATCHED,
	EXPECT_MISMATCH,
};

struct cell {
	char *test;		/* the binary */
	char *driver;
	char *path;
	char *kind;		/* the facts' kind: path, placement, probe */
	int kernel;
	enum verdict verdict;
	char *word;		/* the worst result's verdict word */
	struct strbuf bad;	/* checks that failed (or crashed) */
	struct strbuf warned;	/* checks with dmesg warnings */
	bool dmesg_warn;	/* any entry with dmesg warnings */
	char *vmflags;
	struct strbuf entries;	/* results.json keys, one per line */
	enum expect_state expect;
	char *exp_verdict, *exp_commit, *exp_reason;
};

struct matrix {
	char **kernels;
	char **dirs;		/* each kernel's results directory */
	int nkernels;
	struct cell *cells;
	size_t ncells;
	/* expectations that matched a kernel but no cell: one per line */
	struct strbuf missing;
	int nmissing;
};

/* A row of the Markdown table: the cells of one (test, driver, path). */
struct row {
	const char *test;
	const char *driver;
	const char *path;
};

/* the rows of @m's cells, sorted; NULL when there is none */
struct row *rows_of(const struct matrix *m, size_t *n);
/* the cell of row @r in kernel column @k, or NULL */
struct cell *cell_find(const struct matrix *m, int k, const struct row *r);

/* runner/vm_markdown.c: the table on stdout */
void print_markdown(const struct matrix *m, const struct row *rows,
		    size_t nrows);
/* runner/vm_report.c: DIR/index.html and a page per cell */
int write_report(const char *dir, const struct matrix *m);

#endif
