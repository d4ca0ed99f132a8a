// SPDX-License-Identifier: MIT
/*
 * IGT-compatible entries from the jobs that have a result: one per
 * (dynamic) subtest, named and resulted the way igt_runner's resultgen
 * does, with its share of out, err and dmesg (vm_entries.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_dmesg.h"
#include "vm_entries.h"
#include "vm_slice.h"

static const char *map_result(const char *word)
{
	static const struct {
		const char *word;
		const char *result;
	} map[] = {
		{ "SUCCESS", "pass" },
		{ "SKIP", "skip" },
		{ "FAIL", "fail" },
		{ "CRASH", "crash" },
		{ "TIMEOUT", "timeout" },
	};

	/* prefix compare, as igt_runner: "SKIP" also covers "SKIPPED" */
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(word, map[i].word, strlen(map[i].word)))
			return map[i].result;
	return "incomplete";
}

static const char *result_from_exit(int code)
{
	switch (code) {
	case 0:
		return "pass";
	case 77:
	case 79:
		return "skip";
	case 112:
		return "abort";
	case -1:
		return "notrun";
	default:
		return "fail";
	}
}

static char *lower(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return d;
}

char *entry_name(const char *bin, const char *sub, const char *dyn)
{
	char *name, *l;

	if (asprintf(&name, "igt@%s%s%s%s%s", bin,
		     sub && strcmp(sub, "-") ? "@" : "",
		     sub && strcmp(sub, "-") ? sub : "",
		     dyn ? "@" : "", dyn ? dyn : "") < 0)
		die("out of memory");
	/* igt_runner lowercases names */
	l = lower(name);
	free(name);
	return l;
}

static void entry_clear(struct entry *e)
{
	free(e->name);
	free(e->bin);
	free(e->out);
	free(e->err);
	free(e->dmesg);
	free(e->warnings);
	free(e->igt_version);
	memset(e, 0, sizeof(*e));
}

/* One key per name in "tests": a later job replaces an earlier one. */
size_t entry_add(struct entries *es, const char *name, const char *bin)
{
	struct entry *e = NULL;
	size_t i;

	for (i = 0; i < es->n; i++) {
		if (!strcmp(es->v[i].name, name)) {
			e = &es->v[i];
			entry_clear(e);
			break;
		}
	}
	if (!e) {
		es->v = xrealloc(es->v, (es->n + 1) * sizeof(*es->v));
		i = es->n++;
		e = &es->v[i];
		memset(e, 0, sizeof(*e));
	}
	e->name = xstrdup(name);
	e->bin = xstrdup(bin);
	return i;
}

static char *clean(const char *s, size_t len)
{
	return utf8_sanitize(s, len, NULL);
}

static char *find_igt_version(const char *out)
{
	const char *p = out;

	while (p && *p) {
		/* raw test output: made valid UTF-8 like every other text */
		if (!strncmp(p, "IGT-Version: ", 13))
			return utf8_sanitize(p, strcspn(p, "\r\n"), NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void apply_dmesg_warn(struct entry *e)
{
	if (!e->warnings || !*e->warnings)
		return;
	if (!strcmp(e->result, "pass") || !strcmp(e->result, "warn"))
		e->result = "dmesg-warn";
	else if (!strcmp(e->result, "fail"))
		e->result = "dmesg-fail";
}

void entries_from_result(struct entries *es, struct job *j)
{
	json_object *r = j->result;
	const char *out = jstr(r, "out", ""), *err = jstr(r, "err", "");
	const char *dmesg = jstr(r, "dmesg", "");
	size_t olen = jstrlen(r, "out"), elen = jstrlen(r, "err");
	int code = jint(r, "exit", 0), sig = jint(r, "signal", 0);
	bool timeout = jbool(r, "timeout", false);
	double jtime = jdouble(r, "time", 0);
	struct slices os = { }, errs = { };
	struct krecs k = { };
	size_t nsubs = 0, *idx;
	ssize_t top = -1, last = -1;
	bool first_sub = true;

	slice_output(out, olen, &os);
	slice_output(err, elen, &errs);
	parse_dmesg(dmesg, jstrlen(r, "dmesg"), &k);

	if (!os.n) {
		/* no markers (simple test, early death): the exit status */
		char *name = entry_name(j->bin, j->sub, NULL);
		size_t i = entry_add(es, name, j->bin);
		struct entry *e = &es->v[i];
		struct strbuf d = { }, w = { };
		bool sliced;

		free(name);
		if (timeout)
			e->result = "timeout";
		else if (sig)
			e->result = "crash";
		else
			e->result = result_from_exit(code);
		e->out = clean(out, olen);
		e->err = clean(err, elen);
		dmesg_for(&k, j->sub, NULL, true, true, &d, &w, &sliced);
		e->dmesg = clean(d.s ? d.s : "", d.len);
		e->warnings = clean(w.s ? w.s : "", w.len);
		sb_free(&d);
		sb_free(&w);
		e->time = jtime;
		e->igt_version = find_igt_version(out);
		apply_dmesg_warn(e);
		goto out;
	}

	for (size_t i = 0; i < os.n; i++)
		if (!os.v[i].dyn)
			nsubs++;

	idx = xmalloc(os.n * sizeof(*idx));
	for (size_t i = 0; i < os.n; i++) {
		const struct slice *sl = &os.v[i], *es_sl;
		struct strbuf d = { }, w = { };
		char *name = entry_name(j->bin, sl->sub, sl->dyn);
		struct entry *e;
		bool sliced;

		idx[i] = entry_add(es, name, j->bin);
		e = &es->v[idx[i]];
		free(name);
		e->out = clean(out + sl->beg, sl->end - sl->beg);
		es_sl = slice_find(&errs, sl->sub, sl->dyn);
		if (es_sl)
			e->err = clean(err + es_sl->beg,
				       es_sl->end - es_sl->beg);
		else if (!errs.n)
			/* no markers on stderr: it cannot be split */
			e->err = clean(err, elen);
		else
			e->err = xstrdup("");

		if (sl->result) {
			e->result = map_result(sl->result);
			if (!strcmp(e->result, "pass") && es_sl &&
			    err_warns(err + es_sl->beg,
				      es_sl->end - es_sl->beg))
				e->result = "warn";
		} else if (timeout) {
			e->result = "timeout";
		} else if (sig) {
			e->result = "crash";
		} else {
			/* started, never finished */
			e->result = "incomplete";
		}
		e->time = sl->has_time ? sl->time : jtime;
		e->igt_version = find_igt_version(out);

		dmesg_for(&k, sl->sub, sl->dyn, nsubs == 1, first_sub, &d, &w,
			  &sliced);
		e->dmesg = clean(d.s ? d.s : "", d.len);
		e->warnings = clean(w.s ? w.s : "", w.len);
		sb_free(&d);
		sb_free(&w);

		if (!sl->dyn) {
			first_sub = false;
			last = idx[i];
			if (!strcmp(sl->sub, j->sub))
				top = idx[i];
		}
	}
	if (top < 0)
		top = last;

	/* the process as a whole: timeout, a signal, an abort */
	if (top >= 0) {
		struct entry *e = &es->v[top];

		if (timeout)
			e->result = "timeout";
		else if (sig && strcmp(e->result, "fail"))
			e->result = "crash";
		else if (code == 112)
			e->result = "abort";
	}
	for (size_t i = 0; i < os.n; i++)
		apply_dmesg_warn(&es->v[idx[i]]);
	free(idx);
out:
	slices_free(&os);
	slices_free(&errs);
	krecs_free(&k);
}

/*
 * A binary run for several subtests in one process prints its header
 * once, in the first subtest's out: the entries of that binary without
 * one take the version another of its entries names.
 */
void share_igt_version(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		const char *v = NULL;

		if (es->v[i].igt_version)
			continue;
		for (size_t k = 0; k < es->n && !v; k++)
			if (es->v[k].igt_version &&
			    !strcmp(es->v[k].bin, es->v[i].bin))
				v = es->v[k].igt_version;
		if (v)
			es->v[i].igt_version = xstrdup(v);
	}
}

void entries_free(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		entry_clear(&es->v[i]);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

struct bin_tally *tally_bins(const struct build *b, const struct entries *es,
			     size_t *n)
{
	struct bin_tally *v = NULL;

	*n = 0;
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];
		struct bin_tally *t = NULL;
		int ri = result_index(e->result);

		for (size_t k = 0; k < *n && !t; k++)
			if (!strcmp(v[k].bin, e->bin))
				t = &v[k];
		if (!t) {
			v = xrealloc(v, (*n + 1) * sizeof(*v));
			t = &v[(*n)++];
			memset(t, 0, sizeof(*t));
			t->bin = xstrdup(e->bin);
			/* the time of the jobs, not of the entries: no double count */
			t->time = jobs_time(b, e->bin);
		}
		if (ri >= 0)
			t->counts[ri]++;
		t->tests++;
	}
	return v;
}

void tallies_free(struct bin_tally *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].bin);
	free(v);
}
