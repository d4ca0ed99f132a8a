// SPDX-License-Identifier: MIT
/* Reading vm/expectations.txt for igt_vm_results export (vm_expect.h). */

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_expect.h"
#include "vm_util.h"

static const char *const verdicts[] = {
	"pass", "fail", "skip", "any", "crash", "timeout", NULL,
};

int expect_load(const char *file, struct expectations *x)
{
	char *text = read_file(file, NULL), *line, *next;
	int lineno = 0, bad = 0;

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
		if (line[strspn(line, " \t")] == '#' ||
		    strspn(line, " \t") == strlen(line))
			continue;
		if (sscanf(line, "%127s %127s %255s %31s %127s %n", kernel,
			   driver, path, verdict, commit, &n) < 5) {
			fprintf(stderr, "%s:%d: bad expectation: %s\n", file,
				lineno, line);
			bad++;
			continue;
		}
		for (v = 0; verdicts[v] && strcmp(verdicts[v], verdict); v++)
			;
		if (!verdicts[v]) {
			fprintf(stderr, "%s:%d: bad verdict %s\n", file, lineno,
				verdict);
			bad++;
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
	if (bad) {
		expect_free(x);
		return -1;
	}
	return 0;
}

const struct expectation *expect_find(const struct expectations *x,
				      const char *kernel_name,
				      const char *driver, const char *path)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct expectation *e = &x->e[i];

		if (kernel_matches(e->kernel, kernel_name) &&
		    !fnmatch(e->driver, driver, 0) &&
		    !fnmatch(e->path, path, 0))
			return e;
	}
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
