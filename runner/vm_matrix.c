// SPDX-License-Identifier: MIT
/*
 * igt_vm_results matrix: one column per kernel (one results.json each),
 * one row per driver x mmap path, each cell the worst result over the
 * checks of that path, compared against a file of expectations.
 */

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt_gup.h"
#include "igt_gup_check.h"
#include "vm_util.h"

/*
 * The check suffixes (PATH-CHECK, PLACEMENT-CHECK); the longest match
 * wins, so "vram-gup-futex" is placement "vram", not "vram-gup". The
 * probes come from the probe table (lib/igt_gup_probes.c): gem_mmap_gup
 * names them PATH-PROBE, drm_ttm_pfnmap PLACEMENT-gup-PROBE. Below are
 * the tests' other checks. "huge" is not one: "dumb-huge" and
 * "vram-huge" are rows of their own, since a huge mapping is another
 * mapping of the buffer, with kernels of its own that get it wrong.
 */
static const char *const builtin_checks[] = {
	/* gem_mmap_gup */
	"vma-flags", "map-private",
	/* drm_ttm_pfnmap */
	"cow-refused", "move", "fork", "mremap-expand",
	"partial-munmap", "access", NULL,
};
#define TTM_PROBE_PREFIX "gup-"

static const char **checks;
static size_t nchecks;
static char *probe_checks[IGT_GUP_NUM_PROBES * 2];

static void add_check_name(const char *name)
{
	checks = xrealloc(checks, (nchecks + 1) * sizeof(*checks));
	checks[nchecks++] = name;
}

static void load_builtin_checks(void)
{
	for (size_t i = 0; builtin_checks[i]; i++)
		add_check_name(builtin_checks[i]);
	for (int p = 0; p < IGT_GUP_NUM_PROBES; p++) {
		probe_checks[2 * p] = xstrdup(igt_gup_probes[p].name);
		if (asprintf(&probe_checks[2 * p + 1], TTM_PROBE_PREFIX "%s",
			     igt_gup_probes[p].name) < 0)
			die("out of memory");
		add_check_name(probe_checks[2 * p]);
		add_check_name(probe_checks[2 * p + 1]);
	}
}

void matrix_checks_free(void)
{
	free(checks);
	checks = NULL;
	nchecks = 0;
	for (int p = 0; p < IGT_GUP_NUM_PROBES * 2; p++) {
		free(probe_checks[p]);
		probe_checks[p] = NULL;
	}
}

/* the check suffixes split_subtest() knows, for matrix and export */
void matrix_checks_init(void)
{
	matrix_checks_free();
	load_builtin_checks();
}

/*
 * Worst last. flags-only is above pass: a cell whose mapping verdict had
 * only VmFlags to go on is never shown as a pass, whatever else passed;
 * a kernel warning counts against a pass (dmesg-warn) and a failure.
 */
enum verdict {
	V_NONE,
	V_SKIP,
	V_PASS,
	V_FLAGS_ONLY,
	V_DMESG_WARN,
	V_CRASH,	/* crash, timeout, incomplete, abort */
	V_FAIL,
	V_DMESG_FAIL,
};

/* A skip is flags-only when the test said so on a line of its own. */
static bool says_flags_only(const char *out)
{
	static const char tag[] = IGT_GUP_VERDICT_TAG "flags-only";

	const char *p = out;
	size_t tl = strlen(tag);

	while (p && *p) {
		if (!strncmp(p, tag, tl) && (p[tl] == '\n' || !p[tl]))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

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

static enum verdict verdict_of(const char *result, const char *out)
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
		return out && says_flags_only(out) ? V_FLAGS_ONLY : V_SKIP;
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

struct cell {
	char *driver;
	char *path;
	int kernel;
	enum verdict verdict;
	char *word;		/* the worst result's verdict word */
	struct strbuf bad;	/* checks that failed (or crashed) */
	struct strbuf warned;	/* checks with dmesg warnings */
	bool dmesg_warn;	/* any entry with dmesg warnings */
	char *vmflags;
	bool expected;
};

struct matrix {
	char **kernels;
	int nkernels;
	struct cell *cells;
	size_t ncells;
};

static struct cell *cell_get(struct matrix *m, int kernel, const char *driver,
			     const char *path)
{
	struct cell *c;

	for (size_t i = 0; i < m->ncells; i++) {
		c = &m->cells[i];
		if (c->kernel == kernel && !strcmp(c->driver, driver) &&
		    !strcmp(c->path, path))
			return c;
	}
	m->cells = xrealloc(m->cells, (m->ncells + 1) * sizeof(*m->cells));
	c = &m->cells[m->ncells++];
	memset(c, 0, sizeof(*c));
	c->driver = xstrdup(driver);
	c->path = xstrdup(path);
	c->kernel = kernel;
	return c;
}

/* "PATH-CHECK": the longest known check suffix goes. */
void split_subtest(const char *sub, char **path, const char **check)
{
	size_t len = strlen(sub), best = 0;

	*check = "";
	for (size_t i = 0; i < nchecks; i++) {
		size_t cl = strlen(checks[i]);

		if (cl + 1 < len && cl > best &&
		    !strcmp(sub + len - cl, checks[i]) &&
		    sub[len - cl - 1] == '-') {
			best = cl;
			*check = checks[i];
		}
	}
	*path = xstrndup(sub, best ? len - best - 1 : len);
}

/* "DRIVER-cardN" / "DRIVER-renderDN" (lowercased by the runner). */
char *driver_of(const char *dyn)
{
	const char *card = NULL;

	for (const char *p = dyn; *p; p++)
		if (!strncasecmp(p, "-card", 5) ||
		    !strncasecmp(p, "-renderd", 8))
			card = p;
	return card ? xstrndup(dyn, card - dyn) : xstrdup(dyn);
}

/* The flags after the first "VmFlags: " of a test's output. */
static char *vmflags_of(const char *out)
{
	const char *p = strstr(out, "VmFlags: "), *e;

	if (!p)
		return NULL;
	p += strlen("VmFlags: ");
	/* two-letter mnemonics separated by spaces, then ')' ';' or EOL */
	for (e = p; *e && *e != '\n' && *e != ')' && *e != ';' && *e != ','; )
		e++;
	while (e > p && e[-1] == ' ')
		e--;
	return e > p ? xstrndup(p, e - p) : NULL;
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

static void add_entry(struct matrix *m, int kernel, const char *bin,
		      const char *sub, const char *dyn, json_object *t)
{
	const char *result = jstr(t, "result", "notrun"), *check;
	enum verdict v = verdict_of(result, jstr(t, "out", ""));

	/* KERN_WARNING noise is shown, but only a bug report is a state */
	if ((v == V_DMESG_WARN || v == V_DMESG_FAIL) &&
	    !warned_of_bug(jstr(t, "dmesg-warnings", "")))
		v = v == V_DMESG_WARN ? V_PASS : V_FAIL;
	char *driver = dyn ? driver_of(dyn) : xstrdup("-"), *path;
	struct cell *c;

	split_subtest(sub, &path, &check);
	c = cell_get(m, kernel, driver, path);
	if (v > c->verdict) {
		c->verdict = v;
		free(c->word);
		c->word = xstrdup(verdict_name(v, result));
		/* only the worst kind of trouble is named */
		sb_free(&c->bad);
	}
	if (v == c->verdict && v >= V_FLAGS_ONLY) {
		add_check(&c->bad, check);
		if (v >= V_FAIL && !c->vmflags && !strcmp(bin, "gem_mmap_gup"))
			c->vmflags = vmflags_of(jstr(t, "out", ""));
	}
	if (!strcmp(result, "dmesg-warn") || !strcmp(result, "dmesg-fail")) {
		add_check(&c->warned, check);
		c->dmesg_warn = true;
	}
	free(driver);
	free(path);
}

static int load_kernel(struct matrix *m, const char *dir)
{
	json_object *root, *tests;
	char *path;
	int k = m->nkernels;

	if (asprintf(&path, "%s/results.json", dir) < 0)
		die("out of memory");
	root = json_object_from_file(path);
	if (!root) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", path,
			json_util_get_last_err());
		free(path);
		return -1;
	}
	free(path);
	m->kernels = xrealloc(m->kernels, (k + 1) * sizeof(*m->kernels));
	m->kernels[k] = xstrdup(jstr(root, "name", dir));
	m->nkernels++;

	tests = json_object_object_get(root, "tests");
	if (!json_object_is_type(tests, json_type_object)) {
		json_object_put(root);
		return 0;
	}
	json_object_object_foreach(tests, name, t) {
		char *n, *bin, *sub, *dyn, *save = NULL;
		char parent[1024];

		if (strncmp(name, "igt@", 4))
			continue;
		n = xstrdup(name + 4);
		bin = strtok_r(n, "@", &save);
		sub = strtok_r(NULL, "@", &save);
		dyn = strtok_r(NULL, "@", &save);
		if (!bin || !sub) {
			/* a binary without subtests has no path */
			free(n);
			continue;
		}
		if (!dyn) {
			/* an aggregate of its dynamic subtests, if any */
			bool has_dyn = false;
			size_t pl;

			snprintf(parent, sizeof(parent), "%s@", name);
			pl = strlen(parent);
			json_object_object_foreach(tests, other, unused) {
				(void)unused;
				if (!strncmp(other, parent, pl)) {
					has_dyn = true;
					break;
				}
			}
			/*
			 * Its verdict is its children's, except when the
			 * process itself died or hung around them: that
			 * must show, on the "-" row of the path.
			 */
			if (has_dyn && verdict_of(jstr(t, "result", ""),
						  NULL) != V_CRASH) {
				free(n);
				continue;
			}
		}
		add_entry(m, k, bin, sub, dyn, t);
		free(n);
	}
	json_object_put(root);
	return 0;
}

/* --- rows --- */

struct row {
	const char *driver;
	const char *path;
};

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int r = strcmp(x->driver, y->driver);

	return r ? r : strcmp(x->path, y->path);
}

static struct row *rows_of(const struct matrix *m, size_t *n)
{
	struct row *rows = NULL;

	*n = 0;
	for (size_t i = 0; i < m->ncells; i++) {
		bool seen = false;

		for (size_t j = 0; j < *n && !seen; j++)
			seen = !strcmp(rows[j].driver, m->cells[i].driver) &&
			       !strcmp(rows[j].path, m->cells[i].path);
		if (seen)
			continue;
		rows = xrealloc(rows, (*n + 1) * sizeof(*rows));
		rows[*n].driver = m->cells[i].driver;
		rows[*n].path = m->cells[i].path;
		(*n)++;
	}
	/*
	 * A "-" row holds subtests that skipped before reaching any device
	 * (no device for the path, probe not calibrated): noise unless one
	 * of them gave a real verdict, as probe-calibration does.
	 */
	for (size_t j = 0; j < *n; ) {
		bool keep = strcmp(rows[j].driver, "-");

		for (size_t i = 0; i < m->ncells && !keep; i++)
			keep = !strcmp(m->cells[i].driver, rows[j].driver) &&
			       !strcmp(m->cells[i].path, rows[j].path) &&
			       m->cells[i].verdict > V_SKIP;
		if (keep) {
			j++;
			continue;
		}
		rows[j] = rows[--(*n)];
	}
	/* rows is NULL when there is none: qsort's pointer must not be */
	if (*n > 1)
		qsort(rows, *n, sizeof(*rows), row_cmp);
	return rows;
}

static struct cell *cell_find(const struct matrix *m, int k, const char *driver,
			      const char *path)
{
	for (size_t i = 0; i < m->ncells; i++)
		if (m->cells[i].kernel == k &&
		    !strcmp(m->cells[i].driver, driver) &&
		    !strcmp(m->cells[i].path, path))
			return &m->cells[i];
	return NULL;
}

static void cell_text(const struct cell *c, struct strbuf *sb)
{
	if (!c) {
		sb_adds(sb, "-");
		return;
	}
	sb_adds(sb, c->word);
	if (c->bad.len)
		sb_addf(sb, " (%s)", c->bad.s);
	if (c->vmflags)
		sb_addf(sb, " VmFlags: %s", c->vmflags);
	if (c->warned.len)
		sb_addf(sb, " dmesg-warn: %s", c->warned.s);
	else if (c->dmesg_warn)
		sb_adds(sb, " dmesg-warn");
}

static void md_escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '\n')
			fputc(' ', stdout);
		else
			fputc(*s, stdout);
	}
}

static void print_markdown(const struct matrix *m, const struct row *rows,
			   size_t nrows)
{
	fputs("| driver | path |", stdout);
	for (int k = 0; k < m->nkernels; k++) {
		fputc(' ', stdout);
		md_escape(m->kernels[k]);
		fputs(" |", stdout);
	}
	fputs("\n| --- | --- |", stdout);
	for (int k = 0; k < m->nkernels; k++)
		fputs(" --- |", stdout);
	fputc('\n', stdout);

	for (size_t r = 0; r < nrows; r++) {
		fputs("| ", stdout);
		md_escape(rows[r].driver);
		fputs(" | ", stdout);
		md_escape(rows[r].path);
		fputs(" |", stdout);
		for (int k = 0; k < m->nkernels; k++) {
			struct cell *c = cell_find(m, k, rows[r].driver,
						   rows[r].path);
			struct strbuf sb = { };

			cell_text(c, &sb);
			fputc(' ', stdout);
			if (c && c->verdict >= V_FAIL)
				fputs("**", stdout);
			md_escape(sb.s);
			if (c && c->verdict >= V_FAIL)
				fputs("**", stdout);
			fputs(" |", stdout);
			sb_free(&sb);
		}
		fputc('\n', stdout);
	}
}

static void html_escape(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		default:
			sb_add(sb, s, 1);
		}
	}
}

static int write_html(const char *file, const struct matrix *m,
		      const struct row *rows, size_t nrows)
{
	static const char *const cls[] = {
		[V_NONE] = "none", [V_SKIP] = "skip", [V_PASS] = "pass",
		[V_FLAGS_ONLY] = "flags", [V_DMESG_WARN] = "crash",
		[V_CRASH] = "crash", [V_FAIL] = "fail", [V_DMESG_FAIL] = "fail",
	};
	struct strbuf sb = { };
	FILE *f;

	sb_adds(&sb,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
		"<title>GUP on GPU mmaps: kernel matrix</title>\n<style>\n"
		"body { font-family: sans-serif; margin: 1em; }\n"
		"table { border-collapse: collapse; }\n"
		"th, td { border: 1px solid #888; padding: 3px 6px; "
		"vertical-align: top; }\n"
		"th { background: #ddd; }\n"
		"td.pass { background: #b6e3b6; }\n"
		"td.fail { background: #f0a0a0; font-weight: bold; }\n"
		"td.crash { background: #f3c27a; }\n"
		"td.flags { background: #f5e79e; }\n"
		"td.skip { background: #e8e8e8; color: #555; }\n"
		"td.none { background: #fff; color: #999; }\n"
		".detail { font-size: 80%; font-weight: normal; }\n"
		"</style></head><body>\n"
		"<h1>GUP on GPU mmaps: kernel matrix</h1>\n<table>\n"
		"<tr><th>driver</th><th>path</th>");
	for (int k = 0; k < m->nkernels; k++) {
		sb_adds(&sb, "<th>");
		html_escape(&sb, m->kernels[k]);
		sb_adds(&sb, "</th>");
	}
	sb_adds(&sb, "</tr>\n");
	for (size_t r = 0; r < nrows; r++) {
		sb_adds(&sb, "<tr><td>");
		html_escape(&sb, rows[r].driver);
		sb_adds(&sb, "</td><td>");
		html_escape(&sb, rows[r].path);
		sb_adds(&sb, "</td>");
		for (int k = 0; k < m->nkernels; k++) {
			struct cell *c = cell_find(m, k, rows[r].driver,
						   rows[r].path);

			sb_addf(&sb, "<td class=\"%s\">",
				cls[c ? c->verdict : V_NONE]);
			if (!c) {
				sb_adds(&sb, "-</td>");
				continue;
			}
			html_escape(&sb, c->word);
			if (c->bad.len) {
				sb_adds(&sb, "<div class=\"detail\">");
				html_escape(&sb, c->bad.s);
				sb_adds(&sb, "</div>");
			}
			if (c->vmflags) {
				sb_adds(&sb, "<div class=\"detail\">VmFlags: ");
				html_escape(&sb, c->vmflags);
				sb_adds(&sb, "</div>");
			}
			if (c->dmesg_warn) {
				sb_adds(&sb, "<div class=\"detail\">"
					"dmesg-warn ");
				html_escape(&sb, c->warned.s ? c->warned.s : "");
				sb_adds(&sb, "</div>");
			}
			sb_adds(&sb, "</td>");
		}
		sb_adds(&sb, "</tr>\n");
	}
	sb_adds(&sb, "</table>\n</body></html>\n");

	f = fopen(file, "we");
	if (!f) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		sb_free(&sb);
		return -1;
	}
	fputs(sb.s, f);
	sb_free(&sb);
	if (fclose(f)) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* --- expectations --- */

/*
 * "6.1" names 6.1.x but not 6.12: the prefix must end where a version
 * component ends, at the first version number in the kernel's name.
 */
bool kernel_matches(const char *prefix, const char *name)
{
	size_t pl = strlen(prefix);
	const char *p;

	if (!strcmp(prefix, name) || !strcmp(prefix, "*"))
		return true;
	for (p = name; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (p > name && ((p[-1] >= '0' && p[-1] <= '9') ||
				 p[-1] == '.'))
			continue;
		return !strncmp(p, prefix, pl) &&
		       !(p[pl] >= '0' && p[pl] <= '9');
	}
	return false;
}

static const char *verdict_word(const struct cell *c)
{
	return c->word ? c->word : "none";
}

/*
 * An expected failure is a mapping known, from kernel history, to be
 * unsafe there (the canary's unsafe modes are built to be): if the suite
 * does not fail it, whatever it got instead, the suite has lost its sight.
 */
static const char *blind_note(const char *expected, const char *got)
{
	if (strcmp(expected, "fail") || !strcmp(got, "fail"))
		return "";
	return "; the suite has gone blind: a mapping known to be unsafe here was not caught";
}

static int check_expectations(const char *file, struct matrix *m)
{
	char *text = read_file(file, NULL), *line, *next;
	int lineno = 0, mismatches = 0, checked = 0, unexpected = 0;

	if (!text) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char kernel[128], driver[128], path[256], verdict[32];
		char commit[128];
		const char *reason = "";
		bool any_kernel = false;
		int n = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* a comment line; '#' inside a reason ("bug #12") stays */
		if (line[strspn(line, " \t")] == '#')
			continue;
		line[strcspn(line, "\r")] = '\0';
		if (sscanf(line, "%127s %127s %255s %31s %127s %n", kernel,
			   driver, path, verdict, commit, &n) < 5) {
			if (strspn(line, " \t\r") != strlen(line)) {
				fprintf(stderr, "%s: bad expectation: %s\n",
					file, line);
				mismatches++;
			}
			continue;
		}
		if (n > 0)
			reason = line + n;
		/* crash and timeout too: a path known to kill a kernel */
		if (strcmp(verdict, "pass") && strcmp(verdict, "fail") &&
		    strcmp(verdict, "skip") && strcmp(verdict, "any") &&
		    strcmp(verdict, "flags-only") &&
		    strcmp(verdict, "dmesg-warn") &&
		    strcmp(verdict, "dmesg-fail") &&
		    strcmp(verdict, "crash") && strcmp(verdict, "timeout")) {
			fprintf(stderr, "%s: bad verdict %s: %s\n", file,
				verdict, line);
			mismatches++;
			continue;
		}

		for (int k = 0; k < m->nkernels; k++) {
			bool found = false;

			if (!kernel_matches(kernel, m->kernels[k]))
				continue;
			any_kernel = true;
			for (size_t i = 0; i < m->ncells; i++) {
				struct cell *c = &m->cells[i];

				if (c->kernel != k ||
				    fnmatch(driver, c->driver, 0) ||
				    fnmatch(path, c->path, 0))
					continue;
				found = true;
				c->expected = true;
				checked++;
				if (!strcmp(verdict, "any") ||
				    !strcmp(verdict, verdict_word(c)))
					continue;
				fprintf(stderr, "MISMATCH %s %s %s: expected "
					"%s (commit %s: %s), got %s%s\n",
					m->kernels[k], c->driver, c->path,
					verdict, commit, reason,
					verdict_word(c),
					blind_note(verdict, verdict_word(c)));
				mismatches++;
			}
			if (!found) {
				fprintf(stderr, "MISMATCH %s %s %s: expected "
					"%s (commit %s: %s), got missing%s\n",
					m->kernels[k], driver, path, verdict,
					commit, reason,
					blind_note(verdict, "missing"));
				mismatches++;
			}
		}
		if (!any_kernel)
			fprintf(stderr, "note: %s:%d: no kernel matches %s\n",
				file, lineno, kernel);
	}
	for (size_t i = 0; i < m->ncells; i++) {
		struct cell *c = &m->cells[i];

		if (c->expected)
			continue;
		/* a crash, warning or failure nobody expected is never news */
		if (c->verdict >= V_DMESG_WARN) {
			fprintf(stderr, "MISMATCH %s %s %s: no expectation, got %s\n",
				m->kernels[c->kernel], c->driver, c->path,
				verdict_word(c));
			mismatches++;
			continue;
		}
		fprintf(stderr, "unexpected-new %s %s %s: %s\n",
			m->kernels[c->kernel], c->driver, c->path,
			verdict_word(c));
		unexpected++;
	}
	fprintf(stderr, "expectations: %d cells checked, %d mismatches, "
		"%d without expectation\n", checked, mismatches, unexpected);
	free(text);
	return mismatches ? 1 : 0;
}

static void matrix_usage(FILE *f)
{
	fputs("usage: igt_vm_results matrix [--html FILE] [--expect FILE] "
	      "[--check NAME]... DIR...\n"
	      "  DIR: a results directory per kernel (column label: its "
	      "results.json name)\n"
	      "  --check: one more known check suffix (PATH-CHECK subtests)\n"
	      "  --expect: lines KERNEL DRIVER PATH VERDICT COMMIT REASON...\n"
	      "            (KERNEL: a version prefix, or * for every kernel)\n"
	      "            VERDICT: pass|fail|skip|flags-only|dmesg-warn|dmesg-fail|any\n"
	      "            (or crash|timeout)\n", f);
}

int cmd_matrix(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "html", required_argument, NULL, 'H' },
		{ "expect", required_argument, NULL, 'e' },
		{ "check", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *html = NULL, *expect = NULL;
	struct matrix m = { };
	struct row *rows;
	size_t nrows;
	int c, ret = 0;

	matrix_checks_init();
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			html = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'c':
			add_check_name(optarg);
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
		if (load_kernel(&m, argv[i]))
			return 2;

	rows = rows_of(&m, &nrows);
	print_markdown(&m, rows, nrows);
	if (html && write_html(html, &m, rows, nrows))
		ret = 2;
	if (expect) {
		int r;

		fflush(stdout);
		r = check_expectations(expect, &m);
		if (r < 0)
			ret = 2;
		else if (r && !ret)
			ret = 1;
	}
	free(rows);
	for (size_t i = 0; i < m.ncells; i++) {
		free(m.cells[i].driver);
		free(m.cells[i].path);
		free(m.cells[i].word);
		free(m.cells[i].vmflags);
		sb_free(&m.cells[i].bad);
		sb_free(&m.cells[i].warned);
	}
	free(m.cells);
	for (int k = 0; k < m.nkernels; k++)
		free(m.kernels[k]);
	free(m.kernels);
	matrix_checks_free();
	return ret;
}
