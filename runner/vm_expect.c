// SPDX-License-Identifier: MIT
/*
 * vm/expectations.txt: its one parser, the lookup igt_vm_results export
 * uses, and the check of a matrix against it (vm_expect.h).
 */

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_expect.h"
#include "vm_matrix.h"
#include "vm_util.h"

/* crash and timeout too: a path known to kill a kernel */
static const char *const verdicts[] = {
	"pass", "fail", "skip", "any", "flags-only", "dmesg-warn",
	"dmesg-fail", "crash", "timeout", NULL,
};

int expect_load(const char *file, struct expectations *x, struct strbuf *bad)
{
	char *text = read_file(file, NULL), *line, *next;
	int lineno = 0, nbad = 0;

	memset(x, 0, sizeof(*x));
	if (!text) {
		fprintf(stderr, "igt_vm_results: %s: %s\n", file,
			strerror(errno));
		return -1;
	}
	for (line = text; line; line = next) {
		char kernel[128], driver[128], path[256], verdict[32];
		char commit[128];
		struct expectation *e;
		int n = 0, v;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		/* a comment line; '#' inside a reason ("bug #12") stays */
		if (line[strspn(line, " \t")] == '#' ||
		    strspn(line, " \t") == strlen(line))
			continue;
		if (sscanf(line, "%127s %127s %255s %31s %127s %n", kernel,
			   driver, path, verdict, commit, &n) < 5) {
			sb_addf(bad, "%s:%d: bad expectation: %s\n", file,
				lineno, line);
			nbad++;
			continue;
		}
		for (v = 0; verdicts[v] && strcmp(verdicts[v], verdict); v++)
			;
		if (!verdicts[v]) {
			sb_addf(bad, "%s:%d: bad verdict %s: %s\n", file,
				lineno, verdict, line);
			nbad++;
			continue;
		}
		x->e = xrealloc(x->e, (x->n + 1) * sizeof(*x->e));
		e = &x->e[x->n++];
		e->kernel = xstrdup(kernel);
		e->driver = xstrdup(driver);
		e->path = xstrdup(path);
		e->verdict = xstrdup(verdict);
		e->commit = xstrdup(commit);
		e->reason = xstrdup(n > 0 ? line + n : "");
		e->line = lineno;
	}
	free(text);
	return nbad;
}

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

static bool expect_names(const struct expectation *e, const char *kernel_name,
			 const char *driver, const char *path)
{
	return kernel_matches(e->kernel, kernel_name) &&
	       !fnmatch(e->driver, driver, 0) && !fnmatch(e->path, path, 0);
}

const struct expectation *expect_find(const struct expectations *x,
				      const char *kernel_name,
				      const char *driver, const char *path)
{
	for (size_t i = 0; i < x->n; i++)
		if (expect_names(&x->e[i], kernel_name, driver, path))
			return &x->e[i];
	return NULL;
}

void expect_free(struct expectations *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->e[i].kernel);
		free(x->e[i].driver);
		free(x->e[i].path);
		free(x->e[i].verdict);
		free(x->e[i].commit);
		free(x->e[i].reason);
	}
	free(x->e);
	memset(x, 0, sizeof(*x));
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

int expect_check(const struct expectations *x, const char *file,
		 struct matrix *m, bool verbose, struct strbuf *msg)
{
	int mismatches = 0, matched = 0, unexpected = 0, news = 0;

	for (size_t l = 0; l < x->n; l++) {
		const struct expectation *e = &x->e[l];
		bool any_kernel = false;

		for (int k = 0; k < m->nkernels; k++) {
			bool found = false;

			if (!kernel_matches(e->kernel, m->kernels[k]))
				continue;
			any_kernel = true;
			for (size_t i = 0; i < m->ncells; i++) {
				struct cell *c = &m->cells[i];

				if (c->kernel != k ||
				    fnmatch(e->driver, c->driver, 0) ||
				    fnmatch(e->path, c->path, 0))
					continue;
				found = true;
				free(c->exp_verdict);
				free(c->exp_commit);
				free(c->exp_reason);
				c->exp_verdict = xstrdup(e->verdict);
				c->exp_commit = xstrdup(e->commit);
				c->exp_reason = xstrdup(e->reason);
				if (!strcmp(e->verdict, "any") ||
				    !strcmp(e->verdict, verdict_word(c))) {
					if (c->expect == EXPECT_NEW)
						c->expect = EXPECT_MATCHED;
					continue;
				}
				c->expect = EXPECT_MISMATCH;
				sb_addf(msg, "MISMATCH %s %s %s: expected "
					"%s (commit %s: %s), got %s%s\n",
					m->kernels[k], c->driver, c->path,
					e->verdict, e->commit, e->reason,
					verdict_word(c),
					blind_note(e->verdict, verdict_word(c)));
				mismatches++;
			}
			if (!found) {
				sb_addf(msg, "MISMATCH %s %s %s: expected "
					"%s (commit %s: %s), got missing%s\n",
					m->kernels[k], e->driver, e->path,
					e->verdict, e->commit, e->reason,
					blind_note(e->verdict, "missing"));
				sb_addf(&m->missing, "%s %s %s: expected %s "
					"(commit %s: %s)\n", m->kernels[k],
					e->driver, e->path, e->verdict,
					e->commit, e->reason);
				m->nmissing++;
				mismatches++;
			}
		}
		if (!any_kernel)
			sb_addf(msg, "note: %s:%d: no kernel matches %s\n",
				file, e->line, e->kernel);
	}
	for (size_t i = 0; i < m->ncells; i++) {
		struct cell *c = &m->cells[i];

		if (c->expect == EXPECT_MATCHED)
			matched++;
		if (c->expect == EXPECT_MISMATCH)
			unexpected++;
		if (c->expect != EXPECT_NEW)
			continue;
		/* a crash, warning or failure nobody expected is never news */
		if (c->verdict >= V_DMESG_WARN) {
			c->expect = EXPECT_MISMATCH;
			sb_addf(msg, "MISMATCH %s %s %s: no expectation, got %s\n",
				m->kernels[c->kernel], c->driver, c->path,
				verdict_word(c));
			mismatches++;
			unexpected++;
			continue;
		}
		if (verbose)
			sb_addf(msg, "unexpected-new %s %s %s: %s\n",
				m->kernels[c->kernel], c->driver, c->path,
				verdict_word(c));
		news++;
	}
	sb_addf(msg, "cells: %zu, matched: %d, unexpected: %d, new: %d, "
		"expected but missing: %d%s\n",
		m->ncells, matched, unexpected, news, m->nmissing,
		news && !verbose ? " (--verbose lists the new cells)" : "");
	return mismatches;
}
