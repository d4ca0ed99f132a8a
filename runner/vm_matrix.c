// SPDX-License-Identifier: MIT
/*
 * igt_vm_results matrix: one column per kernel (one results.json each),
 * one row per driver x mmap path, each cell the worst result over the
 * checks of that path. This file builds that model from the entries'
 * facts (vm_matrix.h); vm_expect.c compares it with the expectations,
 * vm_markdown.c and vm_report.c draw it.
 */

#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_expect.h"
#include "vm_facts.h"
#include "vm_matrix.h"
#include "vm_util.h"

/* Did the kernel report a bug (not merely log at KERN_WARNING)? */
static bool warned_of_bug(const char *warnings)
{
	static regex_t rx;
	static bool compiled;

	if (!compiled) {
		if (regcomp(&rx, VM_WARN_RE, REG_EXTENDED | REG_NOSUB))
			die("bad VM_WARN_RE");
		compiled = true;
	}
	return warnings && !regexec(&rx, warnings, 0, NULL, 0);
}

static enum verdict verdict_of(const char *result, json_object *facts)
{
	if (!strcmp(result, "dmesg-fail"))
		return V_DMESG_FAIL;
	if (!strcmp(result, "fail"))
		return V_FAIL;
	if (!strcmp(result, "dmesg-warn"))
		return V_DMESG_WARN;
	if (!strcmp(result, "pass") || !strcmp(result, "warn"))
		return V_PASS;
	if (!strcmp(result, "skip"))
		return !strcmp(jstr(facts, IGT_GUP_FACT_VERDICT, ""),
			       "flags-only") ? V_FLAGS_ONLY : V_SKIP;
	if (!strcmp(result, "notrun"))
		return V_SKIP;
	return V_CRASH;
}

static const char *verdict_name(enum verdict v, const char *result)
{
	static const char *const words[] = {
		[V_NONE] = "none", [V_SKIP] = "skip", [V_PASS] = "pass",
		[V_FLAGS_ONLY] = "flags-only", [V_DMESG_WARN] = "dmesg-warn",
		[V_FAIL] = "fail", [V_DMESG_FAIL] = "dmesg-fail",
	};

	return v == V_CRASH ? result : words[v];
}

static struct cell *cell_get(struct matrix *m, int kernel, const char *test,
			     const char *driver, const char *path)
{
	struct cell *c;

	for (size_t i = 0; i < m->ncells; i++) {
		c = &m->cells[i];
		if (c->kernel == kernel && !strcmp(c->test, test) &&
		    !strcmp(c->driver, driver) && !strcmp(c->path, path))
			return c;
	}
	m->cells = xrealloc(m->cells, (m->ncells + 1) * sizeof(*m->cells));
	c = &m->cells[m->ncells++];
	memset(c, 0, sizeof(*c));
	c->test = xstrdup(test);
	c->driver = xstrdup(driver);
	c->path = xstrdup(path);
	c->kernel = kernel;
	return c;
}

static void add_check(struct strbuf *sb, const char *check)
{
	const char *c = check;
	char *p = sb->s;
	size_t cl = strlen(c);

	/* a subtest that is a path of its own has no check to name */
	if (!cl)
		return;

	/* each check once, even over several dynamic subtests */
	while (p && (p = strstr(p, c))) {
		if ((p == sb->s || p[-1] == ' ') &&
		    (p[cl] == ',' || p[cl] == '\0'))
			return;
		p += cl;
	}
	if (sb->len)
		sb_adds(sb, ", ");
	sb_adds(sb, c);
}

/*
 * One results.json entry into its cell. Where it is, and what it checked,
 * come from its facts line (lib/igt_gup_facts.h); an entry without one
 * (a binary that writes none) is a row "-" of its own subtest.
 */
static void add_entry(struct matrix *m, int kernel, const char *key,
		      const char *bin, const char *sub, bool dynamic,
		      json_object *t)
{
	json_object *facts = facts_of(jstr(t, "out", ""), !dynamic);
	const char *result = jstr(t, "result", "notrun");
	const char *driver = facts ? facts_row_driver(facts) : "-";
	char *path = facts_row_path(facts, sub);
	const char *check = jstr(facts, IGT_GUP_FACT_CHECK, "");
	enum verdict v = verdict_of(result, facts);
	struct cell *c;

	/* KERN_WARNING noise is shown, but only a bug report is a state */
	if ((v == V_DMESG_WARN || v == V_DMESG_FAIL) &&
	    !warned_of_bug(jstr(t, "dmesg-warnings", "")))
		v = v == V_DMESG_WARN ? V_PASS : V_FAIL;
	/* a subtest's own subject has no device: its row is "-" */
	if (!dynamic)
		driver = "-";
	c = cell_get(m, kernel, jstr(facts, IGT_GUP_FACT_TEST, bin), driver,
		     *path ? path : sub);
	free(path);
	if (!c->kind)
		c->kind = xstrdup(jstr(facts, IGT_GUP_FACT_KIND, ""));
	sb_addf(&c->entries, "%s\n", key);
	if (v > c->verdict) {
		c->verdict = v;
		free(c->word);
		c->word = xstrdup(verdict_name(v, result));
		/* only the worst kind of trouble is named */
		sb_free(&c->bad);
	}
	if (v == c->verdict && v >= V_FLAGS_ONLY) {
		add_check(&c->bad, check);
		if (v >= V_FAIL && !c->vmflags && facts_vmflags(facts))
			c->vmflags = xstrdup(facts_vmflags(facts));
	}
	if (!strcmp(result, "dmesg-warn") || !strcmp(result, "dmesg-fail")) {
		add_check(&c->warned, check);
		c->dmesg_warn = true;
	}
	json_object_put(facts);
}

static int load_kernel(struct matrix *m, const char *dir)
{
	json_object *root, *tests;
	int k = m->nkernels;

	root = results_load(dir);
	if (!root)
		return -1;
	m->kernels = xrealloc(m->kernels, (k + 1) * sizeof(*m->kernels));
	m->kernels[k] = xstrdup(jstr(root, "name", dir));
	m->dirs = xrealloc(m->dirs, (k + 1) * sizeof(*m->dirs));
	m->dirs[k] = xstrdup(dir);
	m->nkernels++;

	tests = json_object_object_get(root, "tests");
	if (!json_object_is_type(tests, json_type_object)) {
		json_object_put(root);
		return 0;
	}
	json_object_object_foreach(tests, name, t) {
		/* results.json's key: igt@BIN@SUBTEST[@DYNAMIC] (IGT's) */
		const char *sub = strncmp(name, "igt@", 4) ? NULL :
				  strchr(name + 4, '@');
		const char *dyn = sub ? strchr(sub + 1, '@') : NULL;
		char *bin, *subname;

		if (!sub)
			continue;	/* a binary without subtests */
		/*
		 * An aggregate of its dynamic subtests: its verdict is its
		 * children's, except when the process itself died or hung
		 * around them: that must show, on the "-" row of the path.
		 */
		if (!dyn && results_has_children(tests, name) &&
		    verdict_of(jstr(t, "result", ""), NULL) != V_CRASH)
			continue;
		bin = xstrndup(name + 4, sub - name - 4);
		subname = dyn ? xstrndup(sub + 1, dyn - sub - 1) :
				xstrdup(sub + 1);
		add_entry(m, k, name, bin, subname, dyn, t);
		free(bin);
		free(subname);
	}
	json_object_put(root);
	return 0;
}

static void cell_free(struct cell *c)
{
	free(c->test);
	free(c->driver);
	free(c->path);
	free(c->kind);
	free(c->word);
	free(c->vmflags);
	free(c->exp_verdict);
	free(c->exp_commit);
	free(c->exp_reason);
	sb_free(&c->bad);
	sb_free(&c->warned);
	sb_free(&c->entries);
}

/*
 * A "-" row holds subtests that skipped before reaching any device (no
 * device for the path, probe not calibrated): not a cell of the matrix,
 * neither shown nor counted, unless one of them on some kernel gave a
 * real verdict (a crash around the dynamic subtests).
 */
static void drop_idle_rows(struct matrix *m)
{
	bool *keep = xmalloc((m->ncells + 1) * sizeof(*keep));
	size_t n = 0;

	/* decide on every cell first: compacting frees the ones left out */
	for (size_t i = 0; i < m->ncells; i++) {
		const struct cell *c = &m->cells[i];

		keep[i] = strcmp(c->driver, "-");
		for (size_t j = 0; j < m->ncells && !keep[i]; j++)
			keep[i] = !strcmp(m->cells[j].test, c->test) &&
				  !strcmp(m->cells[j].driver, c->driver) &&
				  !strcmp(m->cells[j].path, c->path) &&
				  m->cells[j].verdict > V_SKIP;
	}
	for (size_t i = 0; i < m->ncells; i++) {
		if (keep[i])
			m->cells[n++] = m->cells[i];
		else
			cell_free(&m->cells[i]);
	}
	free(keep);
	m->ncells = n;
}

/* --- rows --- */

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int r = strcmp(x->test, y->test);

	if (!r)
		r = strcmp(x->driver, y->driver);
	return r ? r : strcmp(x->path, y->path);
}

struct row *rows_of(const struct matrix *m, size_t *n)
{
	struct row *rows = NULL;

	*n = 0;
	for (size_t i = 0; i < m->ncells; i++) {
		bool seen = false;

		for (size_t j = 0; j < *n && !seen; j++)
			seen = !strcmp(rows[j].test, m->cells[i].test) &&
			       !strcmp(rows[j].driver, m->cells[i].driver) &&
			       !strcmp(rows[j].path, m->cells[i].path);
		if (seen)
			continue;
		rows = xrealloc(rows, (*n + 1) * sizeof(*rows));
		rows[*n].test = m->cells[i].test;
		rows[*n].driver = m->cells[i].driver;
		rows[*n].path = m->cells[i].path;
		(*n)++;
	}
	/* rows is NULL when there is none: qsort's pointer must not be */
	if (*n > 1)
		qsort(rows, *n, sizeof(*rows), row_cmp);
	return rows;
}

struct cell *cell_find(const struct matrix *m, int k, const struct row *r)
{
	for (size_t i = 0; i < m->ncells; i++)
		if (m->cells[i].kernel == k &&
		    !strcmp(m->cells[i].test, r->test) &&
		    !strcmp(m->cells[i].driver, r->driver) &&
		    !strcmp(m->cells[i].path, r->path))
			return &m->cells[i];
	return NULL;
}

static void matrix_usage(FILE *f)
{
	fputs("usage: igt_vm_results matrix [--html FILE] [--expect FILE] "
	      "[--verbose] DIR...\n"
	      "  DIR: a results directory per kernel (column label: its "
	      "results.json name)\n"
	      "  --html: the report: FILE, and a page per cell in "
	      "FILE's directory, cells/\n"
	      "  --expect: lines KERNEL DRIVER PATH VERDICT COMMIT REASON...\n"
	      "            (KERNEL: a version prefix, or * for every kernel)\n"
	      "            VERDICT: pass|fail|skip|flags-only|dmesg-warn|dmesg-fail|any\n"
	      "            (or crash|timeout)\n"
	      "  --verbose: list the cells no expectation names\n", f);
}

static void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->ncells; i++)
		cell_free(&m->cells[i]);
	free(m->cells);
	for (int k = 0; k < m->nkernels; k++) {
		free(m->kernels[k]);
		free(m->dirs[k]);
	}
	free(m->kernels);
	free(m->dirs);
	sb_free(&m->missing);
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "html", required_argument, NULL, 'H' },
		{ "expect", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *html = NULL, *expect = NULL;
	struct strbuf msg = { };
	struct matrix m = { };
	bool verbose = false;
	struct row *rows;
	size_t nrows;
	int c, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			html = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			matrix_usage(stdout);
			return 0;
		default:
			matrix_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		matrix_usage(stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++)
		if (load_kernel(&m, argv[i])) {
			matrix_free(&m);
			return 2;
		}
	drop_idle_rows(&m);

	if (expect) {
		struct expectations x;
		int bad = expect_load(expect, &x, &msg);

		if (bad < 0) {
			ret = 2;
		} else {
			if (bad + expect_check(&x, expect, &m, verbose, &msg))
				ret = 1;
			expect_free(&x);
		}
	}
	rows = rows_of(&m, &nrows);
	print_markdown(&m, rows, nrows);
	if (html && write_report(html, &m))
		ret = 2;
	fflush(stdout);
	if (msg.len)
		fputs(msg.s, stderr);
	sb_free(&msg);
	free(rows);
	matrix_free(&m);
	return ret;
}
