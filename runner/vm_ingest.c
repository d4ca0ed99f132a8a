// SPDX-License-Identifier: MIT
/*
 * The record streams of a kernel's boots into jobs: which (binary,
 * subtest) pairs were listed, started and finished, in which boot, with
 * their result records and the run's times (vm_ingest.h).
 */

#include <stdlib.h>
#include <string.h>

#include "vm_ingest.h"

static struct job *job_get(struct build *b, const char *raw_bin,
			   const char *raw_sub)
{
	/*
	 * The names become keys of results.json and XML attributes: a
	 * stream damaged on the serial line must not make them invalid
	 * UTF-8 (found by fuzz/fuzz_stream).
	 */
	char *bin = utf8_sanitize(raw_bin, strlen(raw_bin), NULL);
	char *sub = utf8_sanitize(raw_sub, strlen(raw_sub), NULL);
	struct job *j;

	for (size_t i = 0; i < b->njobs; i++) {
		if (!strcmp(b->jobs[i].bin, bin) &&
		    !strcmp(b->jobs[i].sub, sub)) {
			free(bin);
			free(sub);
			return &b->jobs[i];
		}
	}
	b->jobs = xrealloc(b->jobs, (b->njobs + 1) * sizeof(*b->jobs));
	j = &b->jobs[b->njobs++];
	memset(j, 0, sizeof(*j));
	j->bin = bin;
	j->sub = sub;
	j->boot = -1;
	return j;
}

static void time_seen(struct build *b, double t)
{
	if (t <= 0)
		return;
	if (b->time_start == 0 || t < b->time_start)
		b->time_start = t;
	if (t > b->time_end)
		b->time_end = t;
}

void ingest_record(json_object *rec, void *data)
{
	struct build *b = data;
	const char *type = jstr(rec, "type", "");
	const char *bin = jstr(rec, "test", NULL);
	const char *sub = jstr(rec, "subtest", NULL);
	struct job *j;

	if (!strcmp(type, "boot")) {
		if (!b->uname && *jstr(rec, "uname", ""))
			b->uname = utf8_sanitize(jstr(rec, "uname", ""),
						 jstrlen(rec, "uname"), NULL);
		time_seen(b, jdouble(rec, "time", 0));
	} else if (!strcmp(type, "done")) {
		time_seen(b, jdouble(rec, "time", 0));
	} else if (!strcmp(type, "list") && bin && *bin) {
		json_object *arr = json_object_object_get(rec, "subtests");
		size_t n = json_object_is_type(arr, json_type_array) ?
			   json_object_array_length(arr) : 0;

		/* no list: one job for the binary, as the guest does */
		if (!n) {
			if (jint(rec, "exit", 0) != 0)
				job_get(b, bin, "-");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *s = json_object_array_get_idx(arr, i);

			if (json_object_is_type(s, json_type_string))
				job_get(b, bin, json_object_get_string(s));
		}
	} else if (!strcmp(type, "start") && bin && sub && *bin && *sub) {
		j = job_get(b, bin, sub);
		/* a later boot's start wins: the resume list prevents reruns */
		if (j->result)
			json_object_put(j->result);
		j->result = NULL;
		j->state = JOB_LOST;
		j->boot = b->cur_boot;
		j->start_time = jdouble(rec, "time", 0);
		time_seen(b, j->start_time);
	} else if (!strcmp(type, "result") && bin && sub && *bin && *sub) {
		j = job_get(b, bin, sub);
		if (j->result)
			json_object_put(j->result);
		j->result = json_object_get(rec);
		j->state = JOB_DONE;
		j->boot = b->cur_boot;
		if (j->start_time > 0)
			time_seen(b, j->start_time + jdouble(rec, "time", 0));
	}
}

double jobs_time(const struct build *b, const char *bin)
{
	double t = 0;

	for (size_t j = 0; j < b->njobs; j++)
		if (!strcmp(b->jobs[j].bin, bin) && b->jobs[j].result)
			t += jdouble(b->jobs[j].result, "time", 0);
	return t;
}

void build_free(struct build *b)
{
	for (size_t i = 0; i < b->njobs; i++) {
		free(b->jobs[i].bin);
		free(b->jobs[i].sub);
		json_object_put(b->jobs[i].result);
	}
	free(b->jobs);
	free(b->uname);
	memset(b, 0, sizeof(*b));
}
