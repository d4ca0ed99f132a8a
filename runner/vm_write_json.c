// SPDX-License-Identifier: MIT
/*
 * results.json in IGT's format (results_version 10), as igt_runner's
 * resultgen writes it, so that IGT's tooling (igt_results, piglit
 * summary, CI dashboards) reads it (vm_write.h).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_write.h"

static json_object *time_attr(double start, double end)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "__type__",
				json_object_new_string("TimeAttribute"));
	json_object_object_add(t, "start", json_object_new_double(start));
	json_object_object_add(t, "end", json_object_new_double(end));
	return t;
}

static json_object *totals_obj(const int *counts)
{
	json_object *t = json_object_new_object();

	for (int i = 0; i < NUM_RESULTS; i++)
		json_object_object_add(t, result_names[i],
				       json_object_new_int(counts[i]));
	return t;
}

int write_results_json(const char *dir, const char *name,
		       const struct build *b, const struct entries *es,
		       int argc, char **argv)
{
	json_object *root = json_object_new_object(), *tests, *totals, *rt;
	json_object *cmd = json_object_new_array();
	int counts[NUM_RESULTS] = { };
	struct bin_tally *bs;
	size_t nbs;
	char *path;
	int ret;

	json_object_object_add(root, "__type__",
			       json_object_new_string("TestrunResult"));
	json_object_object_add(root, "results_version", json_object_new_int(10));
	json_object_object_add(root, "name", json_object_new_string(name));
	json_object_object_add(root, "uname",
			       json_object_new_string(b->uname ? b->uname : ""));
	json_object_object_add(root, "cmdline", cmd);
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(root, "time_elapsed",
			       time_attr(b->time_start, b->time_end));

	tests = json_object_new_object();
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];
		json_object *t = json_object_new_object();
		int ri = result_index(e->result);

		json_object_object_add(t, "out", json_object_new_string(e->out));
		json_object_object_add(t, "err", json_object_new_string(e->err));
		json_object_object_add(t, "dmesg",
				       json_object_new_string(e->dmesg));
		json_object_object_add(t, "result",
				       json_object_new_string(e->result));
		json_object_object_add(t, "time", time_attr(0.0, e->time));
		if (e->igt_version)
			json_object_object_add(t, "igt-version",
				json_object_new_string(e->igt_version));
		if (*e->warnings)
			json_object_object_add(t, "dmesg-warnings",
				json_object_new_string(e->warnings));
		json_object_object_add(tests, e->name, t);
		if (ri >= 0)
			counts[ri]++;
	}
	json_object_object_add(root, "tests", tests);

	totals = json_object_new_object();
	json_object_object_add(totals, "", totals_obj(counts));
	json_object_object_add(totals, "root", totals_obj(counts));
	rt = json_object_new_object();
	bs = tally_bins(b, es, &nbs);
	for (size_t i = 0; i < nbs; i++) {
		json_object *r = json_object_new_object();
		char *key;

		if (asprintf(&key, "igt@%s", bs[i].bin) < 0)
			die("out of memory");
		json_object_object_add(totals, key, totals_obj(bs[i].counts));
		json_object_object_add(r, "time", time_attr(0.0, bs[i].time));
		json_object_object_add(rt, key, r);
		free(key);
	}
	tallies_free(bs, nbs);
	json_object_object_add(root, "totals", totals);
	json_object_object_add(root, "runtimes", rt);

	if (asprintf(&path, "%s/results.json", dir) < 0)
		die("out of memory");
	errno = 0;
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	free(path);
	if (ret) {
		/* the write's errno (ENOSPC), not a generic EIO */
		ret = errno ? -errno : -EIO;
		fprintf(stderr, "igt_vm_results: writing results.json: %s\n",
			json_util_get_last_err());
	}
	json_object_put(root);
	return ret;
}
