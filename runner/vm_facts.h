/* SPDX-License-Identifier: MIT */
/*
 * The facts a test wrote into an entry's out (lib/igt_gup_facts.h), read
 * back as data: the host's only source for a cell's driver, path, check
 * and evidence.
 */
#ifndef VM_FACTS_H
#define VM_FACTS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "igt_gup_facts.h"

/*
 * The facts lines of @out merged into one object (a later line's keys
 * replace an earlier one's); NULL when there is none. @first_only: only
 * the first line, the subtest's own subject (a subtest's out also holds
 * its dynamic subtests' lines).
 */
json_object *facts_of(const char *out, bool first_only);

/* The row a fact belongs to: the driver; the probe for a probe's own
 * calibration; "-" where no device was chosen. */
const char *facts_row_driver(json_object *f);
/*
 * The row's path, malloc'ed: the facts' path, @fallback without one. A
 * huge mapping (check IGT_GUP_CHECK_HUGE) is another mapping of the
 * buffer, with kernels of its own that get it wrong: its row is
 * "PATH-huge" (dumb-huge, vram-huge), not the path's.
 */
char *facts_row_path(json_object *f, const char *fallback);
/* The VmFlags of the mapping a probe pinned, else of the first mapping. */
const char *facts_vmflags(json_object *f);

#endif
