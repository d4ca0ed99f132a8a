// SPDX-License-Identifier: MIT
/*
 * A test's kmsg records (the raw "PRIO,SEQ,USEC,FLAGS;text" lines the
 * guest runner read from /dev/kmsg) into IGT's dmesg text, the share of
 * each (dynamic) subtest, and igt_runner's rule for the records that make
 * it dmesg-warn (vm_dmesg.h).
 */

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_dmesg.h"
#include "vm_util.h"

/* dmesg records that make a test dmesg-warn whatever their level */
static regex_t warn_rx;

void dmesg_rules_compile(void)
{
	if (regcomp(&warn_rx, VM_WARN_RE, REG_EXTENDED | REG_NOSUB))
		die("regcomp");
}

void dmesg_rules_free(void)
{
	regfree(&warn_rx);
}

/* Raw kmsg "PRIO,SEQ,USEC,FLAGS[,...];text" into IGT's JSON form. */
void parse_dmesg(const char *buf, size_t len, struct krecs *k)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *l = buf + pos, *semi;
		unsigned long long prio, seq, usec;
		char flags[16] = "-", *text;
		struct krec *r;
		int n = 0;

		if (end == pos) {
			pos = end + 1;
			continue;
		}
		k->v = xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
		r = &k->v[k->n++];
		memset(r, 0, sizeof(*r));

		semi = memchr(l, ';', end - pos);
		text = xstrndup(l, end - pos);
		if (semi && sscanf(text, "%llu,%llu,%llu,%n", &prio, &seq,
				   &usec, &n) == 3 && n > 0) {
			size_t fl = strcspn(text + n, ",;");

			if (fl < sizeof(flags))
				snprintf(flags, sizeof(flags), "%.*s",
					 (int)fl, text + n);
			r->level = prio & 7;
			r->cont = strchr(flags, 'c') != NULL;
			if (asprintf(&r->line, "<%d> [%llu.%06llu] %.*s\n",
				     r->level, usec / 1000000, usec % 1000000,
				     (int)(end - pos - (semi + 1 - l)),
				     semi + 1) < 0)
				die("out of memory");
			r->text = strchr(r->line, ']') + 2;
		} else {
			/* not a kmsg record: kept, but never a warning level */
			r->level = 6;
			if (asprintf(&r->line, "%s\n", text) < 0)
				die("out of memory");
			r->text = r->line;
		}
		free(text);
		pos = end + 1;
	}
}

void krecs_free(struct krecs *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].line);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static bool krec_warns(const struct krec *r)
{
	if (r->level <= 4 && !r->cont)
		return true;
	return regexec(&warn_rx, r->text, 0, NULL, 0) == 0;
}

/* Which (dynamic) subtest a kmsg record starts, NULL if none. */
static const char *kmsg_marker(const struct krec *r, bool dynamic)
{
	const char *needle = dynamic ? ": starting dynamic subtest " :
				       ": starting subtest ";
	const char *p = strstr(r->text, needle);

	return p ? p + strlen(needle) : NULL;
}

static bool marker_is(const char *p, const char *name)
{
	size_t n = strlen(name);

	return p && !strncmp(p, name, n) && (p[n] == '\n' || p[n] == '\0');
}

/*
 * The records of one entry. A job's only subtest gets them all. Otherwise
 * a subtest gets the records from its kmsg start marker to the next one
 * (the first subtest also those before), a dynamic subtest those from its
 * marker to the next dynamic or subtest start. Without markers, like
 * igt_runner, the entry gets every record and no warnings (*sliced false).
 */
void dmesg_for(const struct krecs *k, const char *sub, const char *dyn,
	       bool only_sub, bool first_sub, struct strbuf *out,
	       struct strbuf *warn, bool *sliced)
{
	bool in, any = false;

	if (!dyn && only_sub) {
		*sliced = true;
		in = true;
	} else {
		for (size_t i = 0; i < k->n && !any; i++)
			any = kmsg_marker(&k->v[i], dyn != NULL) != NULL;
		*sliced = any;
		in = !any || (!dyn && first_sub);
	}

	for (size_t i = 0; i < k->n; i++) {
		const char *s = kmsg_marker(&k->v[i], false);
		const char *d = kmsg_marker(&k->v[i], true);

		if (*sliced && dyn) {
			if (d)
				in = marker_is(d, dyn);
			else if (s)
				in = false;
		} else if (*sliced && !only_sub && s) {
			in = marker_is(s, sub);
		}
		if (!in)
			continue;
		sb_adds(out, k->v[i].line);
		if (*sliced && krec_warns(&k->v[i]))
			sb_adds(warn, k->v[i].line);
	}
}
