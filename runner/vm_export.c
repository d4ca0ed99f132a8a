// SPDX-License-Identifier: MIT
/*
 * igt_vm_results export --format drm-ci: the kernel's drm-ci
 * (drivers/gpu/drm/ci) keeps what is known of a driver on a machine in
 * xfails/DRIVER-HW-fails.txt ("test@subtest,Fail" lines), -flakes.txt and
 * -skips.txt (test names and regexes), next to a testlist.txt of
 * "test@subtest" lines. This writes them per driver and kernel from a
 * run's results.json and vm/expectations.txt: a failing result goes into
 * -fails.txt only where an expectation says the cell fails, and the
 * commit that explains it is named in a comment above it. A failure no
 * expectation explains is never exported: it is reported, and the exit
 * status is 1.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_expect.h"
#include "vm_facts.h"
#include "vm_util.h"

struct entry {
	char *driver;		/* "-" for a test of no device */
	char *path;
	char *name;		/* "bin@sub[@dyn]" */
	char *container;	/* "bin@sub" of a dynamic subtest, or NULL */
	const char *status;	/* drm-ci's word */
	const struct expectation *e;
};

struct kernel_run {
	char *label;		/* "6.1": the HW part of the file names */
	char *name;		/* results.json "name": "6.1 6.1.0-57-amd64" */
	struct entry *entries;
	size_t n;
	char **drivers;
	size_t ndrivers;
};

/* drm-ci's (deqp-runner's) status words for IGT's results */
static const char *drm_ci_status(const char *result)
{
	if (!strcmp(result, "pass") || !strcmp(result, "warn") ||
	    !strcmp(result, "dmesg-warn"))
		return "Pass";
	if (!strcmp(result, "skip") || !strcmp(result, "notrun"))
		return "Skip";
	if (!strcmp(result, "fail") || !strcmp(result, "dmesg-fail"))
		return "Fail";
	if (!strcmp(result, "timeout"))
		return "Timeout";
	return "Crash";		/* crash, incomplete, abort */
}

static bool failing(const char *status)
{
	return strcmp(status, "Pass") && strcmp(status, "Skip");
}

static void add_driver(struct kernel_run *k, const char *driver)
{
	for (size_t i = 0; i < k->ndrivers; i++)
		if (!strcmp(k->drivers[i], driver))
			return;
	k->drivers = xrealloc(k->drivers, (k->ndrivers + 1) *
			      sizeof(*k->drivers));
	k->drivers[k->ndrivers++] = xstrdup(driver);
}

static void add_unique(char ***list, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s))
			return;
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

static int load_run(const char *dir, const struct expectations *x,
		    struct kernel_run *k, char ***testlist, size_t *ntests)
{
	json_object *root, *tests;

	memset(k, 0, sizeof(*k));
	root = results_load(dir);
	if (!root)
		return -1;
	k->name = xstrdup(jstr(root, "name", dir));
	k->label = xstrndup(k->name, strcspn(k->name, " "));
	for (char *p = k->label; *p; p++)
		if (*p == '/')
			*p = '_';

	tests = json_object_object_get(root, "tests");
	json_object_object_foreach(tests, tname, t) {
		const char *bin, *sub, *dyn;
		json_object *facts;
		struct entry *en;

		/* results.json's key: igt@BIN[@SUBTEST[@DYNAMIC]] (IGT's) */
		if (strncmp(tname, "igt@", 4) || !tname[4])
			continue;
		bin = tname + 4;
		sub = strchr(bin, '@');
		dyn = sub ? strchr(sub + 1, '@') : NULL;
		if (!dyn) {
			add_unique(testlist, ntests, bin);
			/* a container: its drivers' children speak for it */
			if (sub && results_has_children(tests, tname))
				continue;
		}
		k->entries = xrealloc(k->entries, (k->n + 1) *
				      sizeof(*k->entries));
		en = &k->entries[k->n++];
		memset(en, 0, sizeof(*en));
		/*
		 * Driver and path are the test's facts (lib/igt_gup_facts.h),
		 * as in the matrix; an entry without facts is a "-" row of
		 * its subtest's (or binary's) name.
		 */
		facts = facts_of(jstr(t, "out", ""), !dyn);
		en->driver = xstrdup(dyn && facts ? facts_row_driver(facts) :
				     "-");
		if (sub) {
			char *subname = dyn ? xstrndup(sub + 1, dyn - sub - 1) :
					      xstrdup(sub + 1);

			en->path = facts_row_path(facts, subname);
			free(subname);
		} else {
			en->path = xstrdup(bin);
		}
		json_object_put(facts);
		en->name = xstrdup(tname + 4);
		if (dyn)
			en->container = xstrndup(bin, dyn - bin);
		en->status = drm_ci_status(jstr(t, "result", "notrun"));
		en->e = expect_find(x, k->name, en->driver, en->path);
		if (dyn)
			add_driver(k, en->driver);
	}
	json_object_put(root);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = (x->e ? x->e->line : 0) - (y->e ? y->e->line : 0);

	return r ? r : strcmp(x->name, y->name);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* regex for drm-ci's skips: the test's name, matched whole */
static void regex_quote(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr(".[]()*+?{}|^$\\", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

enum list { FAILS, FLAKES, SKIPS, NUM_LISTS };
static const char *const list_names[NUM_LISTS] = { "fails", "flakes", "skips" };

/* which list a failing result of a cell with this expectation joins */
static int list_of(const struct entry *en)
{
	const char *v = en->e ? en->e->verdict : NULL;

	if (!v)
		return -1;
	if (!strcmp(v, "fail"))
		return FAILS;
	if (!strcmp(v, "any"))
		return FLAKES;		/* the expectations do not fix it */
	if (!strcmp(v, "crash") || !strcmp(v, "timeout"))
		return SKIPS;		/* it takes the machine down */
	return -1;
}

static const char *const list_header[NUM_LISTS] = {
	"known failures: one \"test,Status\" line each",
	"tests whose result is not fixed (expectation \"any\")",
	"regexes of tests not to run: their expectation is a crash or a hang",
};

static int write_driver(const char *out, const struct kernel_run *k,
			const char *driver)
{
	int ret = 0;

	for (int l = 0; l < NUM_LISTS; l++) {
		const struct expectation *last = NULL;
		char *file, **containers = NULL;
		size_t ncont = 0, lines = 0;
		FILE *f;

		if (asprintf(&file, "%s/%s-%s-%s.txt", out, driver, k->label,
			     list_names[l]) < 0)
			die("out of memory");
		f = fopen(file, "w");
		if (!f) {
			fprintf(stderr, "igt_vm_results: %s: %s\n", file,
				strerror(errno));
			free(file);
			return -1;
		}
		fprintf(f, "# igt-mmap-gup on %s, kernel %s: %s.\n"
			"# Written by igt_vm_results export from a run and "
			"vm/expectations.txt;\n"
			"# the commit that explains each group is named above it.\n",
			driver, k->name, list_header[l]);
		for (size_t i = 0; i < k->n; i++) {
			const struct entry *en = &k->entries[i];

			if (strcmp(en->driver, driver) &&
			    strcmp(en->driver, "-"))
				continue;
			if (!failing(en->status) || list_of(en) != l)
				continue;
			if (en->e != last) {
				fprintf(f, "\n# %s %s %s: %s (%s) %s\n",
					en->e->kernel, en->e->driver,
					en->e->path, en->e->verdict,
					en->e->commit, en->e->reason);
				last = en->e;
			}
			if (l == FAILS) {
				fprintf(f, "%s,%s\n", en->name, en->status);
				/* in a job of this driver alone, the
				 * container fails with it */
				if (en->container &&
				    !strcmp(en->status, "Fail"))
					add_unique(&containers, &ncont,
						   en->container);
			} else if (l == FLAKES) {
				fprintf(f, "%s\n", en->name);
			} else {
				regex_quote(f, en->name);
				fputc('\n', f);
			}
			lines++;
		}
		if (ncont) {
			if (ncont > 1)
				qsort(containers, ncont, sizeof(*containers),
				      str_cmp);
			fprintf(f, "\n# the subtests of the dynamic subtests "
				"above, which fail with them\n");
			for (size_t i = 0; i < ncont; i++) {
				fprintf(f, "%s,Fail\n", containers[i]);
				free(containers[i]);
			}
			free(containers);
		}
		if (!lines)
			fprintf(f, "\n# none\n");
		if (fclose(f)) {
			fprintf(stderr, "igt_vm_results: %s: %s\n", file,
				strerror(errno));
			ret = -1;
		}
		free(file);
	}
	return ret;
}

/* failures no expectation explains: reported, never exported */
static int report_unexplained(const struct kernel_run *k)
{
	int n = 0;

	for (size_t i = 0; i < k->n; i++) {
		const struct entry *en = &k->entries[i];

		if (!failing(en->status) || list_of(en) >= 0)
			continue;
		fprintf(stderr, "not exported: %s %s on %s (%s %s): %s\n",
			en->name, en->status, k->name, en->driver, en->path,
			en->e ? "expected to be" : "no expectation");
		if (en->e)
			fprintf(stderr, "  vm/expectations.txt:%d says %s\n",
				en->e->line, en->e->verdict);
		n++;
	}
	return n;
}

static void free_run(struct kernel_run *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->entries[i].driver);
		free(k->entries[i].path);
		free(k->entries[i].name);
		free(k->entries[i].container);
	}
	free(k->entries);
	for (size_t i = 0; i < k->ndrivers; i++)
		free(k->drivers[i]);
	free(k->drivers);
	free(k->label);
	free(k->name);
}

static void export_usage(FILE *f)
{
	fputs("usage: igt_vm_results export --format drm-ci --expect FILE "
	      "--out DIR KERNELDIR...\n"
	      "  KERNELDIR: a kernel's results (its results.json), e.g. "
	      "results/6.1\n"
	      "  writes DIR/DRIVER-LABEL-{fails,flakes,skips}.txt per driver "
	      "and kernel\n"
	      "  (LABEL: the first word of the results' name, e.g. 6.1) and "
	      "DIR/testlist.txt\n", f);
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "expect", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *format = NULL, *expect = NULL, *out = NULL;
	struct expectations x;
	struct strbuf bad = { };
	char **testlist = NULL, *file;
	size_t ntests = 0;
	int c, ret = 0, unexplained = 0;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			export_usage(stdout);
			return 0;
		default:
			export_usage(stderr);
			return 2;
		}
	}
	if (!format || strcmp(format, "drm-ci")) {
		fprintf(stderr, "igt_vm_results export: --format drm-ci is the "
			"only format%s%s\n", format ? ", not " : "",
			format ? format : "");
		return 2;
	}
	if (!expect || !out || optind >= argc) {
		export_usage(stderr);
		return 2;
	}
	if (expect_load(expect, &x, &bad)) {
		fputs(bad.s ? bad.s : "", stderr);
		sb_free(&bad);
		expect_free(&x);
		return 2;
	}
	if (mkdir_p(out)) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", out,
			strerror(errno));
		expect_free(&x);
		return 2;
	}
	for (int i = optind; i < argc && !ret; i++) {
		struct kernel_run k;

		if (load_run(argv[i], &x, &k, &testlist, &ntests)) {
			ret = 2;
			break;
		}
		if (k.n > 1)
			qsort(k.entries, k.n, sizeof(*k.entries), entry_cmp);
		if (k.ndrivers > 1)
			qsort(k.drivers, k.ndrivers, sizeof(*k.drivers),
			      str_cmp);
		for (size_t d = 0; d < k.ndrivers && !ret; d++)
			if (write_driver(out, &k, k.drivers[d]))
				ret = 2;
		unexplained += report_unexplained(&k);
		free_run(&k);
	}

	if (asprintf(&file, "%s/testlist.txt", out) < 0)
		die("out of memory");
	if (ntests > 1)
		qsort(testlist, ntests, sizeof(*testlist), str_cmp);
	f = ret ? NULL : fopen(file, "w");
	if (!ret && !f) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		ret = 2;
	}
	for (size_t i = 0; i < ntests; i++) {
		if (f)
			fprintf(f, "%s\n", testlist[i]);
		free(testlist[i]);
	}
	free(testlist);
	if (f && fclose(f)) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		ret = 2;
	}
	free(file);
	expect_free(&x);
	if (!ret && unexplained) {
		fprintf(stderr, "igt_vm_results export: %d failing result(s) "
			"no expectation explains were left out\n", unexplained);
		ret = 1;
	}
	return ret;
}
