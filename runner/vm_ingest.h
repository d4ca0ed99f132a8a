/* SPDX-License-Identifier: MIT */
/*
 * The jobs of one kernel's run, from the records of its boots' streams
 * (runner/vm_record.h): what each (binary, subtest) came to (vm_ingest.c).
 */
#ifndef VM_INGEST_H
#define VM_INGEST_H

#include <json-c/json.h>

#include "vm_util.h"

enum job_state {
	JOB_NOTRUN,	/* listed, never started */
	JOB_LOST,	/* started, no result in that boot */
	JOB_DONE,	/* has a result record */
};

struct job {
	char *bin;
	char *sub;
	enum job_state state;
	json_object *result;	/* the result record, JOB_DONE */
	int boot;		/* stream index of the last start */
	double start_time;
};

struct build {
	struct job *jobs;
	size_t njobs;
	int cur_boot;
	char *uname;
	double time_start;
	double time_end;
};

/*
 * stream_read()'s callback, @data a struct build: set cur_boot to the
 * stream's index before each stream. A later boot's start or result of a
 * job replaces an earlier one.
 */
void ingest_record(json_object *rec, void *data);
/* the time of @bin's jobs that have a result, in seconds */
double jobs_time(const struct build *b, const char *bin);
void build_free(struct build *b);

#endif
