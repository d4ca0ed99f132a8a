// SPDX-License-Identifier: MIT
/*
 * The markers IGT prints into a test's out and err ("Starting subtest: X",
 * "Subtest X: SUCCESS (1.234s)", their dynamic forms), and the slicing of
 * an output at them into the parts of each (dynamic) subtest, read the way
 * igt_runner's resultgen reads them (vm_slice.h).
 */

#include <stdlib.h>
#include <string.h>

#include "vm_slice.h"
#include "vm_util.h"

enum marker_type { M_NONE, M_START, M_RESULT, M_DSTART, M_DRESULT };

struct marker {
	enum marker_type type;
	char *name;
	char *result;		/* IGT's word: SUCCESS, FAIL, ... */
	double time;
	bool has_time;
};

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool parse_marker(const char *line, size_t len, struct marker *m)
{
	static const struct {
		const char *prefix;
		enum marker_type type;
	} kinds[] = {
		{ "Starting subtest: ", M_START },
		{ "Starting dynamic subtest: ", M_DSTART },
		{ "Subtest ", M_RESULT },
		{ "Dynamic subtest ", M_DRESULT },
	};
	const char *p = line, *end = line + len, *n;

	memset(m, 0, sizeof(*m));
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' '))
		end--;
	/* the bold wrapper IGT puts around result lines on a tty */
	if (end - p >= 4 && !memcmp(p, "\x1b[1m", 4))
		p += 4;
	if (end - p >= 4 && !memcmp(end - 4, "\x1b[0m", 4))
		end -= 4;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t pl = strlen(kinds[k].prefix);

		if ((size_t)(end - p) <= pl || memcmp(p, kinds[k].prefix, pl))
			continue;
		p += pl;
		n = p;
		while (p < end && name_char(*p))
			p++;
		if (p == n)
			return false;
		if (kinds[k].type == M_START || kinds[k].type == M_DSTART) {
			if (p != end)
				return false;
			m->type = kinds[k].type;
			m->name = xstrndup(n, p - n);
			return true;
		}
		/* "Subtest NAME: RESULT (1.234s)"; "Subtest X failed." is not */
		if (end - p < 3 || p[0] != ':' || p[1] != ' ')
			return false;
		m->name = xstrndup(n, p - n);
		p += 2;
		n = p;
		while (p < end && *p != ' ')
			p++;
		m->result = xstrndup(n, p - n);
		if (p < end) {
			char *e;

			while (p < end && *p == ' ')
				p++;
			if (*p == '(') {
				m->time = strtod(p + 1, &e);
				m->has_time = e != p + 1;
			}
		}
		m->type = kinds[k].type;
		return true;
	}
	return false;
}

static void marker_free(struct marker *m)
{
	free(m->name);
	free(m->result);
	memset(m, 0, sizeof(*m));
}

static int slice_add(struct slices *s, const char *sub, const char *dyn,
		     size_t beg)
{
	struct slice *sl;

	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	sl = &s->v[s->n];
	memset(sl, 0, sizeof(*sl));
	sl->sub = xstrdup(sub);
	sl->dyn = dyn ? xstrdup(dyn) : NULL;
	sl->beg = beg;
	return s->n++;
}

static void slice_close(struct slices *s, int i, size_t pos)
{
	if (i >= 0 && !s->v[i].closed) {
		s->v[i].end = pos;
		s->v[i].closed = true;
	}
}

static void slice_result(struct slice *sl, struct marker *m)
{
	sl->result = m->result;
	m->result = NULL;
	sl->time = m->time;
	sl->has_time = m->has_time;
}

/*
 * Splits an output at the markers, as igt_runner does: a subtest owns the
 * text from its start marker to the next one (the first subtest also owns
 * the header before it), a dynamic subtest from its start marker to the
 * next dynamic start or its parent's result line.
 */
/* where the line at @pos of @buf ends: after its newline, or at @len */
static size_t line_end(const char *buf, size_t len, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);

	return nl ? (size_t)(nl - buf) + 1 : len;
}

void slice_output(const char *buf, size_t len, struct slices *s)
{
	int cur = -1, dyn = -1;
	bool first = true;
	size_t pos = 0;

	while (pos < len) {
		size_t end = line_end(buf, len, pos);
		struct marker m;

		if (!parse_marker(buf + pos, end - pos, &m)) {
			pos = end;
			continue;
		}
		switch (m.type) {
		case M_START:
			slice_close(s, dyn, pos);
			slice_close(s, cur, pos);
			cur = slice_add(s, m.name, NULL, first ? 0 : pos);
			s->v[cur].started = true;
			dyn = -1;
			first = false;
			break;
		case M_RESULT:
			slice_close(s, dyn, pos);
			dyn = -1;
			if (cur >= 0 && !strcmp(s->v[cur].sub, m.name) &&
			    !s->v[cur].result) {
				slice_result(&s->v[cur], &m);
				break;
			}
			/* resolved by a fixture: a result with no start */
			slice_close(s, cur, pos);
			cur = slice_add(s, m.name, NULL, first ? 0 : pos);
			slice_result(&s->v[cur], &m);
			first = false;
			break;
		case M_DSTART:
			if (cur < 0)
				break;
			slice_close(s, dyn, pos);
			dyn = slice_add(s, s->v[cur].sub, m.name, pos);
			s->v[dyn].started = true;
			break;
		case M_DRESULT:
			if (cur < 0)
				break;
			/* clang-analyzer cannot see that a dynamic slice has a name */
			if (dyn >= 0 && s->v[dyn].dyn &&
			    !strcmp(s->v[dyn].dyn, m.name) &&
			    !s->v[dyn].result) {
				slice_result(&s->v[dyn], &m);
				break;
			}
			slice_close(s, dyn, pos);
			dyn = slice_add(s, s->v[cur].sub, m.name, pos);
			slice_result(&s->v[dyn], &m);
			break;
		default:
			break;
		}
		marker_free(&m);
		pos = end;
	}
	slice_close(s, dyn, len);
	slice_close(s, cur, len);
}

void slices_free(struct slices *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].sub);
		free(s->v[i].dyn);
		free(s->v[i].result);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct slice *slice_find(const struct slices *s, const char *sub,
			       const char *dyn)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct slice *sl = &s->v[i];

		if (strcmp(sl->sub, sub))
			continue;
		if ((!dyn && !sl->dyn) || (dyn && sl->dyn &&
					   !strcmp(dyn, sl->dyn)))
			return sl;
	}
	return NULL;
}

/*
 * igt_runner's warn rule: a passing subtest whose stderr has a line that
 * is not a marker before a later marker logged a warning while it ran.
 */
bool err_warns(const char *buf, size_t len)
{
	bool other = false;
	size_t pos = 0;

	while (pos < len) {
		size_t end = line_end(buf, len, pos);
		struct marker m;

		if (parse_marker(buf + pos, end - pos, &m)) {
			marker_free(&m);
			if (other)
				return true;
		} else if (end - pos > 1) {
			other = true;
		}
		pos = end;
	}
	return false;
}
