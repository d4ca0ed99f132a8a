/* SPDX-License-Identifier: MIT */
/*
 * A test's out or err cut at IGT's subtest markers into the part of each
 * (dynamic) subtest, as igt_runner's resultgen cuts it (vm_slice.c).
 */
#ifndef VM_SLICE_H
#define VM_SLICE_H

#include <stdbool.h>
#include <stddef.h>

/* A part of out or err that belongs to one (dynamic) subtest. */
struct slice {
	char *sub;
	char *dyn;		/* NULL for the subtest itself */
	size_t beg, end;
	bool closed;
	bool started;
	char *result;		/* IGT's word: SUCCESS, FAIL, ...; or NULL */
	double time;
	bool has_time;
};

struct slices {
	struct slice *v;
	size_t n;
};

/*
 * Splits an output at the markers: a subtest owns the text from its start
 * marker to the next one (the first subtest also the header before it), a
 * dynamic subtest from its start marker to the next dynamic start or its
 * parent's result line.
 */
void slice_output(const char *buf, size_t len, struct slices *s);
void slices_free(struct slices *s);
/* the slice of subtest @sub (@dyn NULL) or of its dynamic subtest @dyn */
const struct slice *slice_find(const struct slices *s, const char *sub,
			       const char *dyn);

/*
 * igt_runner's warn rule: a passing subtest whose stderr has a line that
 * is not a marker before a later marker logged a warning while it ran.
 */
bool err_warns(const char *buf, size_t len);

#endif
