// SPDX-License-Identifier: MIT
/*
 * The report of one run: an index page with a table per test (rows by
 * driver and path, a column per kernel; each cell its verdict, whether it
 * was expected and the commit that explains it) and a page per cell with
 * its evidence, read from the entries' facts lines and results.json.
 * Static HTML, inline CSS, no script.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_facts.h"
#include "vm_matrix.h"
#include "vm_util.h"

/* DRM drivers renamed between kernels: one row, with a note. */
static const struct {
	const char *driver, *row, *note;
} renamed[] = {
	{ "cirrus-qemu", "cirrus",
	  "cirrus: the driver is named cirrus-qemu on 7.x (its module too)" },
};

static const char *row_driver(const char *driver)
{
	for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (!strcmp(driver, renamed[i].driver))
			return renamed[i].row;
	return driver;
}

/* A table per test and kind of subject (lib/igt_gup_facts.h). */
static const struct {
	const char *test, *kind, *title, *row, *col;
} tests[] = {
	{ "gem_mmap_gup", IGT_GUP_KIND_PATH,
	  "gem_mmap_gup: GEM mmap paths", "driver", "mmap path" },
	{ "drm_ttm_pfnmap", IGT_GUP_KIND_PLACEMENT,
	  "drm_ttm_pfnmap: TTM placements", "driver", "placement" },
	{ "gem_mmap_gup", IGT_GUP_KIND_PROBE,
	  "gem_mmap_gup: probe calibration (each GUP probe on memory that must pin and on VM_PFNMAP references)",
	  "probe", "subtest" },
};

static bool eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static bool known_table(const struct cell *c)
{
	for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++)
		if (eq(c->test, tests[t].test) && eq(c->kind, tests[t].kind))
			return true;
	return false;
}

/* The cells of one table: its test and kind; NULL kind: unknown ones. */
static bool in_table(const struct cell *c, const char *test, const char *kind)
{
	if (!eq(c->test, test))
		return false;
	return kind ? eq(c->kind, kind) : !known_table(c);
}

static int strcmp_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void esc(struct strbuf *sb, const char *s)
{
	xml_escape(sb, s ? s : "");
}

static const char *css_class(enum verdict v)
{
	static const char *const cls[] = {
		[V_NONE] = "none", [V_SKIP] = "skip", [V_PASS] = "pass",
		[V_FLAGS_ONLY] = "flags", [V_DMESG_WARN] = "crash",
		[V_CRASH] = "crash", [V_FAIL] = "fail", [V_DMESG_FAIL] = "fail",
	};

	return cls[v];
}

static const char *const expect_word[] = {
	[EXPECT_NEW] = "new", [EXPECT_MATCHED] = "expected",
	[EXPECT_MISMATCH] = "UNEXPECTED",
};

static const char style[] =
	"body { font-family: sans-serif; margin: 1em; max-width: 110em; }\n"
	"table { border-collapse: collapse; margin-bottom: 1.5em; }\n"
	"th, td { border: 1px solid #888; padding: 3px 6px; vertical-align: top; }\n"
	"th { background: #ddd; text-align: left; }\n"
	"td.pass { background: #b6e3b6; }\n"
	"td.fail { background: #f0a0a0; }\n"
	"td.crash { background: #f3c27a; }\n"
	"td.flags { background: #f5e79e; }\n"
	"td.skip { background: #e8e8e8; color: #444; }\n"
	"td.none { background: #fff; color: #999; }\n"
	"td a { color: inherit; }\n"
	".v { font-weight: bold; }\n"
	".d { font-size: 80%; }\n"
	".x { font-size: 80%; font-weight: bold; color: #a00000; }\n"
	".n { font-size: 80%; color: #555; font-style: italic; }\n"
	"pre { background: #f4f4f4; padding: 4px; white-space: pre-wrap; "
	"font-size: 85%; }\n";

static void page_head(struct strbuf *sb, const char *title)
{
	sb_adds(sb, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>");
	esc(sb, title);
	sb_addf(sb, "</title>\n<style>\n%s</style></head><body>\n<h1>", style);
	esc(sb, title);
	sb_adds(sb, "</h1>\n");
}

static int write_text(const char *path, const char *text)
{
	int ret = write_string(path, text);

	if (ret)
		fprintf(stderr, "igt_vm_results: %s: %s\n", path,
			strerror(-ret));
	return ret ? -1 : 0;
}

static void cell_body(struct strbuf *sb, const struct cell *c, size_t idx)
{
	sb_addf(sb, "<a href=\"cells/%zu.html\"><span class=\"v\">", idx);
	esc(sb, c->word ? c->word : "none");
	sb_adds(sb, "</span></a>");
	if (c->bad.len) {
		sb_adds(sb, " <span class=\"d\">(");
		esc(sb, c->bad.s);
		sb_adds(sb, ")</span>");
	}
	if (c->dmesg_warn) {
		sb_adds(sb, "<div class=\"d\">dmesg-warn ");
		esc(sb, c->warned.s);
		sb_adds(sb, "</div>");
	}
	sb_addf(sb, "<div class=\"%s\">%s", c->expect == EXPECT_MISMATCH ?
		"x" : "n", expect_word[c->expect]);
	if (c->exp_commit && strcmp(c->exp_commit, "-")) {
		sb_adds(sb, " ");
		esc(sb, c->exp_commit);
	}
	if (c->expect == EXPECT_MISMATCH && c->exp_verdict) {
		sb_adds(sb, ", expected ");
		esc(sb, c->exp_verdict);
	}
	sb_adds(sb, "</div>");
}

/* One table: the cells of one test. */
static void test_table(struct strbuf *sb, const struct matrix *m,
		       const char *test, const char *kind, const char *title,
		       const char *rowname, const char *pathname)
{
	struct strbuf notes = { };
	char **keys = NULL;
	size_t nkeys = 0;

	/* rows: (display driver, path), in the order first seen, sorted */
	for (size_t i = 0; i < m->ncells; i++) {
		const struct cell *c = &m->cells[i];
		char *key;
		bool seen = false;

		if (!in_table(c, test, kind))
			continue;
		if (asprintf(&key, "%s\t%s", row_driver(c->driver), c->path) < 0)
			die("out of memory");
		for (size_t j = 0; j < nkeys && !seen; j++)
			seen = !strcmp(keys[j], key);
		if (seen) {
			free(key);
			continue;
		}
		keys = xrealloc(keys, (nkeys + 1) * sizeof(*keys));
		keys[nkeys++] = key;
	}
	if (!nkeys)
		return;
	qsort(keys, nkeys, sizeof(*keys), strcmp_ptr);
	sb_adds(sb, "<h2>");
	esc(sb, title);
	sb_addf(sb, "</h2>\n<table>\n<tr><th>%s</th><th>%s</th>", rowname,
		pathname);
	for (int k = 0; k < m->nkernels; k++) {
		sb_adds(sb, "<th>");
		esc(sb, m->kernels[k]);
		sb_adds(sb, "</th>");
	}
	sb_adds(sb, "</tr>\n");
	for (size_t r = 0; r < nkeys; r++) {
		char *tab = strchr(keys[r], '\t');

		*tab = '\0';
		sb_adds(sb, "<tr><td>");
		esc(sb, keys[r]);
		for (size_t i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
			if (!strcmp(keys[r], renamed[i].row)) {
				sb_adds(sb, "*");
				if (!strstr(notes.s ? notes.s : "",
					     renamed[i].note))
					sb_addf(&notes, "<p class=\"n\">* %s</p>\n",
						renamed[i].note);
			}
		sb_adds(sb, "</td><td>");
		esc(sb, tab + 1);
		sb_adds(sb, "</td>");
		for (int k = 0; k < m->nkernels; k++) {
			const struct cell *found = NULL;
			size_t idx = 0;

			for (size_t i = 0; i < m->ncells && !found; i++) {
				const struct cell *c = &m->cells[i];

				if (c->kernel == k && in_table(c, test, kind) &&
				    !strcmp(row_driver(c->driver), keys[r]) &&
				    !strcmp(c->path, tab + 1)) {
					found = c;
					idx = i;
				}
			}
			if (!found) {
				sb_adds(sb, "<td class=\"none\">-</td>");
				continue;
			}
			sb_addf(sb, "<td class=\"%s\">", css_class(found->verdict));
			cell_body(sb, found, idx);
			sb_adds(sb, "</td>");
		}
		sb_adds(sb, "</tr>\n");
		free(keys[r]);
	}
	sb_adds(sb, "</table>\n");
	if (notes.len)
		sb_adds(sb, notes.s);
	sb_free(&notes);
	free(keys);
}

static void pre(struct strbuf *sb, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	sb_addf(sb, "<h4>%s</h4>\n<pre>", title);
	esc(sb, text);
	sb_adds(sb, "</pre>\n");
}

/* The evidence of one entry: its facts, then its output. */
static void entry_evidence(struct strbuf *sb, const char *key, json_object *t)
{
	json_object *f = facts_of(jstr(t, "out", ""), false);
	json_object *maps = json_object_object_get(f, IGT_GUP_FACT_MAPPINGS);
	json_object *probes = json_object_object_get(f, IGT_GUP_FACT_PROBES);

	sb_adds(sb, "<h3>");
	esc(sb, key);
	sb_adds(sb, ": ");
	esc(sb, jstr(t, "result", "missing"));
	sb_adds(sb, "</h3>\n");
	if (f) {
		sb_adds(sb, "<table>\n");
		json_object_object_foreach(f, k, v) {
			if (json_object_is_type(v, json_type_array))
				continue;
			sb_adds(sb, "<tr><th>");
			esc(sb, k);
			sb_adds(sb, "</th><td>");
			esc(sb, json_object_get_string(v));
			sb_adds(sb, "</td></tr>\n");
		}
		sb_adds(sb, "</table>\n");
	}
	if (json_object_is_type(maps, json_type_array) &&
	    json_object_array_length(maps)) {
		sb_adds(sb, "<table>\n<tr><th>mapping</th><th>KiB</th>"
			"<th>VM_PFNMAP</th><th>VmFlags</th></tr>\n");
		for (size_t i = 0; i < json_object_array_length(maps); i++) {
			json_object *mp = json_object_array_get_idx(maps, i);

			sb_addf(sb, "<tr><td>%zu</td><td>%d</td><td>%s</td><td>",
				i, jint(mp, IGT_GUP_FACT_MAP_KIB, 0),
				jbool(mp, IGT_GUP_FACT_MAP_PFNMAP, false) ?
				"yes" : "no");
			esc(sb, jstr(mp, IGT_GUP_FACT_MAP_VMFLAGS, ""));
			sb_adds(sb, "</td></tr>\n");
		}
		sb_adds(sb, "</table>\n");
	}
	if (json_object_is_type(probes, json_type_array) &&
	    json_object_array_length(probes)) {
		sb_adds(sb, "<table>\n<tr><th>probe</th><th>mapping</th>"
			"<th>offset</th><th>outcome</th><th>errno</th>"
			"<th>bytes</th><th>reason</th></tr>\n");
		for (size_t i = 0; i < json_object_array_length(probes); i++) {
			json_object *p = json_object_array_get_idx(probes, i);
			const char *o = jstr(p, IGT_GUP_FACT_P_OUTCOME, "");

			sb_addf(sb, "<tr><td>");
			esc(sb, jstr(p, IGT_GUP_FACT_P_PROBE, ""));
			sb_addf(sb, "</td><td>%d</td><td>0x%x</td><td class=\"%s\">",
				jint(p, IGT_GUP_FACT_P_MAPPING, 0),
				jint(p, IGT_GUP_FACT_P_OFFSET, 0),
				!strcmp(o, "PINNED") ? "fail" :
				!strcmp(o, "REFUSED") ? "pass" : "skip");
			esc(sb, o);
			sb_adds(sb, "</td><td>");
			esc(sb, jstr(p, IGT_GUP_FACT_P_ERRNO, ""));
			if (jint(p, IGT_GUP_FACT_P_BYTES, -1) < 0)
				sb_adds(sb, "</td><td>-</td><td>");
			else
				sb_addf(sb, "</td><td>%d</td><td>",
					jint(p, IGT_GUP_FACT_P_BYTES, -1));
			esc(sb, jstr(p, IGT_GUP_FACT_P_REASON, ""));
			sb_adds(sb, "</td></tr>\n");
		}
		sb_adds(sb, "</table>\n");
	}
	pre(sb, "out", jstr(t, "out", ""));
	pre(sb, "err", jstr(t, "err", ""));
	/* a crash's dmesg is the console excerpt (igt_vm_results build) */
	pre(sb, !strcmp(jstr(t, "result", ""), "crash") ||
		!strcmp(jstr(t, "result", ""), "timeout") ?
		"dmesg (console excerpt)" : "dmesg", jstr(t, "dmesg", ""));
	json_object_put(f);
}

static int cell_page(const char *dir, const char *index,
		     const struct matrix *m, size_t idx, json_object *tests)
{
	const struct cell *c = &m->cells[idx];
	struct strbuf sb = { };
	char *title, *path;
	int ret;

	if (asprintf(&title, "%s %s %s on %s: %s", c->test, c->driver,
		     c->path, m->kernels[c->kernel], c->word) < 0 ||
	    asprintf(&path, "%s/cells/%zu.html", dir, idx) < 0)
		die("out of memory");
	page_head(&sb, title);
	sb_adds(&sb, "<p><a href=\"../");
	esc(&sb, index);
	sb_adds(&sb, "\">back to the matrix</a></p>\n<p>");
	if (c->exp_verdict) {
		sb_addf(&sb, "<b>%s</b>. vm/expectations.txt expects ",
			c->expect == EXPECT_MATCHED ? "As expected" :
			"UNEXPECTED");
		esc(&sb, c->exp_verdict);
		sb_adds(&sb, " (commit ");
		esc(&sb, c->exp_commit);
		sb_adds(&sb, ": ");
		esc(&sb, c->exp_reason);
		sb_adds(&sb, ")");
	} else {
		sb_adds(&sb, c->expect == EXPECT_MISMATCH ?
			"<b>UNEXPECTED</b>: no expectation names this cell, "
			"and a crash, warning or failure is never news." :
			"<b>New</b>: no expectation names this cell.");
	}
	sb_adds(&sb, " The cell is the worst of the entries below.</p>\n");
	for (char *e = c->entries.s, *nl; e && *e; e = nl + 1) {
		json_object *t;
		char *key;

		nl = strchr(e, '\n');
		key = xstrndup(e, nl - e);
		t = json_object_object_get(tests, key);
		entry_evidence(&sb, key, t);
		free(key);
	}
	sb_adds(&sb, "</body></html>\n");
	ret = write_text(path, sb.s);
	sb_free(&sb);
	free(title);
	free(path);
	return ret;
}

int write_report(const char *file, const struct matrix *m)
{
	char *copy = xstrdup(file), *dir = dirname(copy), *cells;
	char *copy2 = xstrdup(file), *index = basename(copy2);
	int matched = 0, unexpected = 0, news = 0, ret = 0;
	struct strbuf sb = { };

	for (size_t i = 0; i < m->ncells; i++) {
		matched += m->cells[i].expect == EXPECT_MATCHED;
		unexpected += m->cells[i].expect == EXPECT_MISMATCH;
		news += m->cells[i].expect == EXPECT_NEW;
	}
	page_head(&sb, "GUP on GPU mmaps: kernel matrix");
	sb_addf(&sb, "<p><b>%zu cells: %d matched their expectation, "
		"%d unexpected, %d new</b> (no expectation names them)"
		"<b>%s</b></p>\n", m->ncells, matched, unexpected, news,
		m->nmissing ? "; and expected cells that are missing, below" : "");
	sb_adds(&sb,
		"<p class=\"d\">Legend: each cell is the worst result over the "
		"checks of that driver and path on that kernel, with the failing "
		"checks in parentheses; click it for its evidence (each probe's "
		"outcome with errno and bytes, VmFlags, huge entries, the "
		"subtest's out, err and dmesg). "
		"<span style=\"background:#b6e3b6\">pass</span>: GUP refused, "
		"proven by a calibrated GUP-fast probe; "
		"<span style=\"background:#f0a0a0\">fail</span>: a probe pinned "
		"driver memory or the kernel reported a bug (dmesg-fail); "
		"<span style=\"background:#f3c27a\">crash, timeout, dmesg-warn"
		"</span>; <span style=\"background:#f5e79e\">flags-only</span>: "
		"VM_PFNMAP but no probe could prove the refusal; "
		"<span style=\"background:#e8e8e8\">skip</span>: not "
		"applicable, with its reason on the cell's page. Under the "
		"verdict: <i>expected</i> and the kernel commit that explains "
		"it (vm/expectations.txt), <b style=\"color:#a00000\">"
		"UNEXPECTED</b> with the expected verdict, or <i>new</i>. "
		"A cell <i>-</i>: no such subtest ran on that kernel (the "
		"driver does not offer the path there).</p>\n");
	for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++)
		test_table(&sb, m, tests[t].test, tests[t].kind,
			   tests[t].title, tests[t].row, tests[t].col);
	/* anything else (a binary without facts): a table per binary */
	for (size_t i = 0; i < m->ncells; i++) {
		bool done = known_table(&m->cells[i]);

		for (size_t j = 0; j < i && !done; j++)
			done = !known_table(&m->cells[j]) &&
			       !strcmp(m->cells[j].test, m->cells[i].test);
		if (!done)
			test_table(&sb, m, m->cells[i].test, NULL,
				   m->cells[i].test, "driver", "subtest");
	}
	if (m->nmissing) {
		sb_addf(&sb, "<h2>Expected but missing (%d)</h2>\n<p class=\"d\">"
			"An expectation names these, and the run has no such "
			"cell: the subtest did not run, or no device offered "
			"the path.</p>\n<pre>", m->nmissing);
		esc(&sb, m->missing.s);
		sb_adds(&sb, "</pre>\n");
	}
	sb_adds(&sb, "</body></html>\n");
	ret = write_text(file, sb.s);
	sb_free(&sb);

	if (asprintf(&cells, "%s/cells", dir) < 0)
		die("out of memory");
	if (mkdir_p(cells)) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", cells,
			strerror(errno));
		ret = -1;
	}
	for (int k = 0; k < m->nkernels && !ret; k++) {
		json_object *root = results_load(m->dirs[k]), *tests_obj;

		tests_obj = json_object_object_get(root, "tests");
		for (size_t i = 0; i < m->ncells && !ret; i++)
			if (m->cells[i].kernel == k)
				ret = cell_page(dir, index, m, i,
						tests_obj);
		json_object_put(root);
	}
	free(cells);
	free(copy);
	free(copy2);
	return ret;
}
