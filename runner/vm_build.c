// SPDX-License-Identifier: MIT
/*
 * igt_vm_results build: turns the record streams of every boot of one
 * kernel into IGT's results.json (version 10), junit.xml and summary.txt,
 * so that IGT's tooling can consume the result. The rooms, in order:
 * vm_ingest.c (streams into jobs), vm_entries.c with vm_slice.c and
 * vm_dmesg.c (a job's result into IGT's entries, as igt_runner's
 * resultgen makes them), vm_lost.c (jobs that left no result), and the
 * writers vm_write_json.c, vm_write_junit.c, vm_write_summary.c.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_dmesg.h"
#include "vm_entries.h"
#include "vm_ingest.h"
#include "vm_lost.h"
#include "vm_util.h"
#include "vm_write.h"

static void build_usage(FILE *f)
{
	fputs("usage: igt_vm_results build --name NAME --out DIR "
	      "[--console FILE]... STREAM...\n", f);
}

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "console", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *name = NULL, *dir = NULL, **consoles = NULL;
	struct stream_stats st = { };
	struct build b = { };
	struct entries es = { };
	int nconsoles = 0, c, ret, nstreams;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'c':
			consoles = xrealloc(consoles, (nconsoles + 1) *
					    sizeof(*consoles));
			consoles[nconsoles++] = optarg;
			break;
		case 'h':
			build_usage(stdout);
			return 0;
		default:
			build_usage(stderr);
			return 2;
		}
	}
	nstreams = argc - optind;
	if (!dir || nstreams < 1) {
		build_usage(stderr);
		return 2;
	}
	if (!name) {
		name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		if (!*name)
			name = dir;
	}
	if (nconsoles > nstreams)
		die("%d --console files for %d streams", nconsoles, nstreams);
	lost_rules_compile();
	dmesg_rules_compile();

	for (int i = 0; i < nstreams; i++) {
		const char *path = argv[optind + i];

		b.cur_boot = i;
		/* a boot that died before the runner started wrote nothing */
		if (stream_read(path, ingest_record, &b, &st))
			fprintf(stderr, "igt_vm_results: %s: %s (boot %d "
				"skipped)\n", path, strerror(errno), i);
	}
	fprintf(stderr, "igt_vm_results: %d streams, %zu lines, %zu records, "
		"%zu other lines, %zu damaged records\n", nstreams, st.lines,
		st.records, st.ignored, st.bad);

	for (size_t i = 0; i < b.njobs; i++) {
		struct job *j = &b.jobs[i];

		switch (j->state) {
		case JOB_DONE:
			entries_from_result(&es, j);
			break;
		case JOB_LOST:
			entry_lost(&es, j, j->boot >= 0 &&
				   j->boot < nconsoles ?
				   consoles[j->boot] : NULL);
			break;
		case JOB_NOTRUN:
			entry_notrun(&es, j);
			break;
		}
	}

	share_igt_version(&es);

	ret = mkdir_p(dir);
	if (ret)
		die("%s: %s", dir, strerror(-ret));
	ret = write_results_json(dir, name, &b, &es, prog_argc, prog_argv);
	if (!ret)
		ret = write_junit(dir, name, &b, &es);
	if (!ret)
		ret = write_summary(dir, &es);
	if (ret)
		die("writing results into %s: %s", dir, strerror(-ret));

	entries_free(&es);
	build_free(&b);
	free(consoles);
	lost_rules_free();
	dmesg_rules_free();
	return 0;
}
