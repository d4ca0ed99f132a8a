// SPDX-License-Identifier: MIT
/*
 * Forensics of the jobs that left no result: a job started in a boot that
 * ended before it finished gets crash (a kernel panic on that boot's
 * console after the job's start line), timeout (the watchdog killed a
 * silent guest: boot.txt) or incomplete, with the console excerpt as its
 * dmesg; a job never started is notrun (vm_lost.h).
 */

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_lost.h"

#define CONSOLE_CONTEXT_BEFORE	20
#define CONSOLE_EXCERPT_LINES	60

/* fatal kernel events on the console of a boot that lost a job */
static const char *const panic_re =
	"Kernel panic|Oops|BUG:|general protection fault|Trigger a crash";
static regex_t panic_rx;

void lost_rules_compile(void)
{
	if (regcomp(&panic_rx, panic_re, REG_EXTENDED | REG_NOSUB))
		die("regcomp");
}

void lost_rules_free(void)
{
	regfree(&panic_rx);
}

struct lines {
	char **v;
	size_t n;
};

static void split_lines(char *buf, struct lines *l)
{
	char *p = buf;

	while (*p) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		for (char *e = p + strlen(p); e > p && e[-1] == '\r'; )
			*--e = '\0';
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/*
 * boot-guest writes boot.txt beside the console when QEMU is gone:
 * reason=watchdog when it killed a silent guest, reason=exit when QEMU
 * ended by itself. Returns the reason, or NULL when the file is absent
 * (the harness itself was stopped).
 */
static char *boot_reason(const char *console)
{
	char *dir, *path, *text, *p, *reason = NULL;
	size_t len;

	if (!console)
		return NULL;
	dir = xstrdup(console);
	p = strrchr(dir, '/');
	if (p)
		*p = '\0';
	if (asprintf(&path, "%s/boot.txt", p ? dir : ".") < 0)
		die("out of memory");
	free(dir);
	text = read_file(path, &len);
	free(path);
	if (!text)
		return NULL;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "reason=", 7)) {
			reason = xstrdup(p + 7);
			reason[strcspn(reason, "\n")] = '\0';
			break;
		}
	}
	free(text);
	return reason;
}

void entry_lost(struct entries *es, struct job *j, const char *console)
{
	char *name = entry_name(j->bin, j->sub, NULL);
	size_t i = entry_add(es, name, j->bin);	/* may move es->v */
	struct entry *e = &es->v[i];
	struct strbuf out = { }, ex = { };
	struct lines l = { };
	char *text = NULL, *needle;
	size_t len = 0, from = 0, beg, end;
	ssize_t match = -1;

	free(name);
	if (console)
		text = read_file(console, &len);
	if (text) {
		char *s = utf8_sanitize(text, len, NULL);

		free(text);
		text = s;
		split_lines(text, &l);
	}

	/* the runner's progress line for this job, then the first panic */
	if (asprintf(&needle, "igt_guest_runner: start %s %s [", j->bin,
		     j->sub) < 0)
		die("out of memory");
	for (size_t i = 0; i < l.n; i++)
		if (strstr(l.v[i], needle))
			from = i;
	free(needle);
	for (size_t i = from; i < l.n; i++) {
		if (regexec(&panic_rx, l.v[i], 0, NULL, 0) == 0) {
			match = i;
			break;
		}
	}

	if (match >= 0) {
		beg = match > CONSOLE_CONTEXT_BEFORE ?
		      match - CONSOLE_CONTEXT_BEFORE : 0;
		if (beg < from)
			beg = from;
		end = beg + CONSOLE_EXCERPT_LINES;
		e->result = "crash";
		sb_addf(&out, "igt_vm_results: the kernel crashed during "
			"this test; console excerpt (%s) in dmesg.\n",
			console);
	} else {
		char *reason = boot_reason(console);

		end = l.n;
		beg = l.n > CONSOLE_EXCERPT_LINES ?
		      l.n - CONSOLE_EXCERPT_LINES : 0;
		/*
		 * As igt_runner: timeout only with evidence of one (the
		 * watchdog killed a silent guest), incomplete otherwise.
		 */
		if (reason && !strcmp(reason, "watchdog")) {
			e->result = "timeout";
			sb_addf(&out, "igt_vm_results: the guest went silent "
				"during this test and the watchdog killed it, "
				"with no kernel crash on its console (%s): a "
				"hang; the console's last lines are in dmesg.\n",
				console);
		} else if (reason) {
			e->result = "incomplete";
			sb_addf(&out, "igt_vm_results: QEMU ended during this "
				"test (boot.txt: reason=%s) with no result and "
				"no kernel crash on its console (%s); the "
				"console's last lines are in dmesg.\n", reason,
				console);
		} else {
			e->result = "incomplete";
			sb_addf(&out, "igt_vm_results: the boot never "
				"finished during this test (no boot.txt: the "
				"harness was stopped) and left no result%s%s.\n",
				console ? "; console: " : "",
				console ? console : "");
		}
		free(reason);
	}
	if (end > l.n)
		end = l.n;
	for (size_t i = beg; i < end; i++) {
		sb_adds(&ex, l.v[i]);
		sb_adds(&ex, "\n");
	}
	e->out = sb_steal(&out);
	e->err = xstrdup("");
	e->dmesg = sb_steal(&ex);
	e->warnings = xstrdup("");
	e->time = 0;
	free(l.v);
	free(text);
}

void entry_notrun(struct entries *es, struct job *j)
{
	char *name = entry_name(j->bin, j->sub, NULL);
	size_t i = entry_add(es, name, j->bin);	/* may move es->v */
	struct entry *e = &es->v[i];

	free(name);
	e->out = xstrdup("");
	e->err = xstrdup("");
	e->dmesg = xstrdup("");
	e->warnings = xstrdup("");
	e->result = "notrun";
	e->time = 0;
}
