/* SPDX-License-Identifier: MIT */
/*
 * The entries of results.json's "tests": one per (dynamic) subtest,
 * keyed igt@BIN@SUBTEST[@DYNAMIC] as igt_runner keys them. Made from a
 * job's result (vm_entries.c) or, for a job without one, by the
 * forensics of vm_lost.c.
 */
#ifndef VM_ENTRIES_H
#define VM_ENTRIES_H

#include <stddef.h>

#include "vm_ingest.h"
#include "vm_util.h"

struct entry {
	char *name;
	char *bin;
	char *out, *err, *dmesg, *warnings;
	char *igt_version;
	const char *result;
	double time;
};

struct entries {
	struct entry *v;
	size_t n;
};

/* "igt@bin@sub@dyn", lowercased; a sub of "-" (the whole binary) drops */
char *entry_name(const char *bin, const char *sub, const char *dyn);
/*
 * The index of the (cleared) entry @name: one key per name in "tests",
 * a later job replaces an earlier one. May move es->v.
 */
size_t entry_add(struct entries *es, const char *name, const char *bin);
/* the entries of a job with a result (JOB_DONE) */
void entries_from_result(struct entries *es, struct job *j);
/* the IGT version of a binary's first entry, for those without one */
void share_igt_version(struct entries *es);
void entries_free(struct entries *es);

/* An IGT binary's totals: its entries' results and its jobs' time. */
struct bin_tally {
	char *bin;
	int counts[NUM_RESULTS];
	int tests;
	double time;
};

/* one tally per binary, in the order of the entries */
struct bin_tally *tally_bins(const struct build *b, const struct entries *es,
			     size_t *n);
void tallies_free(struct bin_tally *v, size_t n);

#endif
