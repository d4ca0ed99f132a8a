/* SPDX-License-Identifier: MIT */
/*
 * A test's kmsg records as IGT's dmesg text, cut into the records of each
 * (dynamic) subtest, with igt_runner's dmesg-warn rule (vm_dmesg.c).
 */
#ifndef VM_DMESG_H
#define VM_DMESG_H

#include <stdbool.h>
#include <stddef.h>

#include "vm_util.h"

struct krec {
	int level;
	bool cont;
	char *line;		/* "<L> [sec.usec] text\n" */
	const char *text;	/* into line */
};

struct krecs {
	struct krec *v;
	size_t n;
};

/* the warning rule (VM_WARN_RE): compiled once, before any dmesg_for() */
void dmesg_rules_compile(void);
void dmesg_rules_free(void);

/* Raw kmsg "PRIO,SEQ,USEC,FLAGS[,...];text" into IGT's JSON form. */
void parse_dmesg(const char *buf, size_t len, struct krecs *k);
void krecs_free(struct krecs *k);

/*
 * The records of one entry into @out, those that warn also into @warn
 * (vm_dmesg.c tells which records an entry gets); *sliced false when the
 * records could not be cut and the entry got them all, with no warnings.
 */
void dmesg_for(const struct krecs *k, const char *sub, const char *dyn,
	       bool only_sub, bool first_sub, struct strbuf *out,
	       struct strbuf *warn, bool *sliced);

#endif
