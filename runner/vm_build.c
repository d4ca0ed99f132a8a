// SPDX-License-Identifier: MIT
/*
 * igt_vm_results build: turns the record streams of every boot of one
 * kernel into IGT's results.json (version 10), junit.xml (JUnit; not
 * results.xml, which piglit takes for its own format when given the
 * folder) and summary.txt. The markers in out/err are read the way igt_runner's
 * resultgen reads them, so that IGT's tooling can consume the result.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_dmesg.h"
#include "vm_slice.h"
#include "vm_util.h"

#define CONSOLE_CONTEXT_BEFORE	20
#define CONSOLE_EXCERPT_LINES	60

/* fatal kernel events on the console of a boot that lost a job */
static const char *const panic_re =
	"Kernel panic|Oops|BUG:|general protection fault|Trigger a crash";

enum job_state {
	JOB_NOTRUN,	/* listed, never started */
	JOB_LOST,	/* started, no result in that boot */
	JOB_DONE,	/* has a result record */
};

struct job {
	char *bin;
	char *sub;
	enum job_state state;
	json_object *result;	/* the result record, JOB_DONE */
	int boot;		/* stream index of the last start */
	double start_time;
};

struct build {
	struct job *jobs;
	size_t njobs;
	int cur_boot;
	char *uname;
	double time_start;
	double time_end;
};

struct entry {
	char *name;
	char *bin;
	char *out, *err, *dmesg, *warnings;
	char *igt_version;
	const char *result;
	double time;
};

struct entries {
	struct entry *v;
	size_t n;
};

static regex_t panic_rx;

static struct job *job_get(struct build *b, const char *raw_bin,
			   const char *raw_sub)
{
	/*
	 * The names become keys of results.json and XML attributes: a
	 * stream damaged on the serial line must not make them invalid
	 * UTF-8 (found by fuzz/fuzz_stream).
	 */
	char *bin = utf8_sanitize(raw_bin, strlen(raw_bin), NULL);
	char *sub = utf8_sanitize(raw_sub, strlen(raw_sub), NULL);
	struct job *j;

	for (size_t i = 0; i < b->njobs; i++) {
		if (!strcmp(b->jobs[i].bin, bin) &&
		    !strcmp(b->jobs[i].sub, sub)) {
			free(bin);
			free(sub);
			return &b->jobs[i];
		}
	}
	b->jobs = xrealloc(b->jobs, (b->njobs + 1) * sizeof(*b->jobs));
	j = &b->jobs[b->njobs++];
	memset(j, 0, sizeof(*j));
	j->bin = bin;
	j->sub = sub;
	j->boot = -1;
	return j;
}

static void time_seen(struct build *b, double t)
{
	if (t <= 0)
		return;
	if (b->time_start == 0 || t < b->time_start)
		b->time_start = t;
	if (t > b->time_end)
		b->time_end = t;
}

static void build_cb(json_object *rec, void *data)
{
	struct build *b = data;
	const char *type = jstr(rec, "type", "");
	const char *bin = jstr(rec, "test", NULL);
	const char *sub = jstr(rec, "subtest", NULL);
	struct job *j;

	if (!strcmp(type, "boot")) {
		if (!b->uname && *jstr(rec, "uname", ""))
			b->uname = utf8_sanitize(jstr(rec, "uname", ""),
						 jstrlen(rec, "uname"), NULL);
		time_seen(b, jdouble(rec, "time", 0));
	} else if (!strcmp(type, "done")) {
		time_seen(b, jdouble(rec, "time", 0));
	} else if (!strcmp(type, "list") && bin && *bin) {
		json_object *arr = json_object_object_get(rec, "subtests");
		size_t n = json_object_is_type(arr, json_type_array) ?
			   json_object_array_length(arr) : 0;

		/* no list: one job for the binary, as the guest does */
		if (!n) {
			if (jint(rec, "exit", 0) != 0)
				job_get(b, bin, "-");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *s = json_object_array_get_idx(arr, i);

			if (json_object_is_type(s, json_type_string))
				job_get(b, bin, json_object_get_string(s));
		}
	} else if (!strcmp(type, "start") && bin && sub && *bin && *sub) {
		j = job_get(b, bin, sub);
		/* a later boot's start wins: the resume list prevents reruns */
		if (j->result)
			json_object_put(j->result);
		j->result = NULL;
		j->state = JOB_LOST;
		j->boot = b->cur_boot;
		j->start_time = jdouble(rec, "time", 0);
		time_seen(b, j->start_time);
	} else if (!strcmp(type, "result") && bin && sub && *bin && *sub) {
		j = job_get(b, bin, sub);
		if (j->result)
			json_object_put(j->result);
		j->result = json_object_get(rec);
		j->state = JOB_DONE;
		j->boot = b->cur_boot;
		if (j->start_time > 0)
			time_seen(b, j->start_time + jdouble(rec, "time", 0));
	}
}

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

/* --- entries --- */

static char *lower(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return d;
}

static char *entry_name(const char *bin, const char *sub, const char *dyn)
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
static size_t entry_add(struct entries *es, const char *name, const char *bin)
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

static void entries_from_result(struct entries *es, struct job *j)
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

/* --- console of a boot that lost a job --- */

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

static void entry_lost(struct entries *es, struct job *j, const char *console)
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

static void entry_notrun(struct entries *es, struct job *j)
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

/* --- writers --- */

static json_object *time_attr(double start, double end)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "__type__",
				json_object_new_string("TimeAttribute"));
	json_object_object_add(t, "start", json_object_new_double(start));
	json_object_object_add(t, "end", json_object_new_double(end));
	return t;
}

static json_object *totals_obj(const int *counts)
{
	json_object *t = json_object_new_object();

	for (int i = 0; i < NUM_RESULTS; i++)
		json_object_object_add(t, result_names[i],
				       json_object_new_int(counts[i]));
	return t;
}

struct binsum {
	char *bin;
	int counts[NUM_RESULTS];
	double time;
	int tests, failures, errors, skipped;
};

static struct binsum *binsum_get(struct binsum **v, size_t *n, const char *bin)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].bin, bin))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].bin = xstrdup(bin);
	return &(*v)[(*n)++];
}

static const char *junit_kind(const char *result)
{
	static const char *const failures[] = {
		"fail", "dmesg-fail", "dmesg-warn", "warn", NULL };
	static const char *const errors[] = {
		"crash", "timeout", "incomplete", "abort", NULL };

	for (int i = 0; failures[i]; i++)
		if (!strcmp(result, failures[i]))
			return "failure";
	for (int i = 0; errors[i]; i++)
		if (!strcmp(result, errors[i]))
			return "error";
	if (!strcmp(result, "skip") || !strcmp(result, "notrun"))
		return "skipped";
	return NULL;
}

static int write_string(const char *path, const char *s)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs(s, f);
	if (fclose(f))
		return -errno;
	return 0;
}

static int write_xml(const char *dir, const char *name,
		     const struct entries *es, struct binsum *bs, size_t nbs)
{
	struct strbuf sb = { };
	char *path;
	int total = 0, fail = 0, err = 0, skip = 0, ret;
	double time = 0;

	for (size_t i = 0; i < nbs; i++) {
		total += bs[i].tests;
		fail += bs[i].failures;
		err += bs[i].errors;
		skip += bs[i].skipped;
		time += bs[i].time;
	}
	sb_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb_adds(&sb, "<testsuites name=\"");
	xml_escape(&sb, name);
	sb_addf(&sb, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
		"skipped=\"%d\" time=\"%.3f\">\n", total, fail, err, skip, time);
	for (size_t b = 0; b < nbs; b++) {
		sb_adds(&sb, "  <testsuite name=\"");
		xml_escape(&sb, bs[b].bin);
		sb_addf(&sb, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
			"skipped=\"%d\" time=\"%.3f\">\n", bs[b].tests,
			bs[b].failures, bs[b].errors, bs[b].skipped,
			bs[b].time);
		for (size_t i = 0; i < es->n; i++) {
			const struct entry *e = &es->v[i];
			const char *kind = junit_kind(e->result);
			/* "igt@BIN@SUB@DYN" -> "SUB@DYN" */
			const char *tc = e->name + 4 + strlen(e->bin);

			if (strcmp(e->bin, bs[b].bin))
				continue;
			tc = *tc == '@' ? tc + 1 : e->name;
			sb_adds(&sb, "    <testcase classname=\"igt.");
			xml_escape(&sb, e->bin);
			sb_adds(&sb, "\" name=\"");
			xml_escape(&sb, tc);
			sb_addf(&sb, "\" time=\"%.3f\">\n", e->time);
			if (kind) {
				sb_addf(&sb, "      <%s message=\"%s\" "
					"type=\"%s\"", kind, e->result,
					e->result);
				if (*e->warnings) {
					sb_adds(&sb, ">");
					xml_escape(&sb, e->warnings);
					sb_addf(&sb, "</%s>\n", kind);
				} else {
					sb_adds(&sb, "/>\n");
				}
			}
			sb_adds(&sb, "      <system-out>");
			xml_escape(&sb, e->out);
			sb_adds(&sb, "</system-out>\n      <system-err>");
			xml_escape(&sb, e->err);
			if (*e->dmesg) {
				sb_adds(&sb, "\n--- dmesg ---\n");
				xml_escape(&sb, e->dmesg);
			}
			sb_adds(&sb, "</system-err>\n    </testcase>\n");
		}
		sb_adds(&sb, "  </testsuite>\n");
	}
	sb_adds(&sb, "</testsuites>\n");

	if (asprintf(&path, "%s/junit.xml", dir) < 0)
		die("out of memory");
	ret = write_string(path, sb.s);
	free(path);
	sb_free(&sb);
	return ret;
}

static int write_results(const char *dir, const char *name,
			 const struct build *b, const struct entries *es,
			 int argc, char **argv)
{
	json_object *root = json_object_new_object(), *tests, *totals, *rt;
	json_object *cmd = json_object_new_array();
	int counts[NUM_RESULTS] = { };
	struct binsum *bs = NULL;
	size_t nbs = 0;
	struct strbuf sum = { };
	char *path;
	int ret;

	json_object_object_add(root, "__type__",
			       json_object_new_string("TestrunResult"));
	json_object_object_add(root, "results_version", json_object_new_int(10));
	json_object_object_add(root, "name", json_object_new_string(name));
	json_object_object_add(root, "uname",
			       json_object_new_string(b->uname ? b->uname : ""));
	json_object_object_add(root, "cmdline", cmd);
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(root, "time_elapsed",
			       time_attr(b->time_start, b->time_end));

	tests = json_object_new_object();
	for (size_t i = 0; i < es->n; i++) {
		const struct entry *e = &es->v[i];
		json_object *t = json_object_new_object();
		struct binsum *s = binsum_get(&bs, &nbs, e->bin);
		const char *kind = junit_kind(e->result);
		int ri = result_index(e->result);

		json_object_object_add(t, "out", json_object_new_string(e->out));
		json_object_object_add(t, "err", json_object_new_string(e->err));
		json_object_object_add(t, "dmesg",
				       json_object_new_string(e->dmesg));
		json_object_object_add(t, "result",
				       json_object_new_string(e->result));
		json_object_object_add(t, "time", time_attr(0.0, e->time));
		if (e->igt_version)
			json_object_object_add(t, "igt-version",
				json_object_new_string(e->igt_version));
		if (*e->warnings)
			json_object_object_add(t, "dmesg-warnings",
				json_object_new_string(e->warnings));
		json_object_object_add(tests, e->name, t);

		if (ri >= 0) {
			counts[ri]++;
			s->counts[ri]++;
		}
		s->tests++;
		if (kind && !strcmp(kind, "failure"))
			s->failures++;
		else if (kind && !strcmp(kind, "error"))
			s->errors++;
		else if (kind)
			s->skipped++;
	}
	json_object_object_add(root, "tests", tests);

	totals = json_object_new_object();
	json_object_object_add(totals, "", totals_obj(counts));
	json_object_object_add(totals, "root", totals_obj(counts));
	rt = json_object_new_object();
	for (size_t i = 0; i < nbs; i++) {
		char *key;

		/* the time of the jobs, not of the entries: no double count */
		bs[i].time = 0;
		for (size_t j = 0; j < b->njobs; j++)
			if (!strcmp(b->jobs[j].bin, bs[i].bin) &&
			    b->jobs[j].result)
				bs[i].time += jdouble(b->jobs[j].result,
						      "time", 0);
		if (asprintf(&key, "igt@%s", bs[i].bin) < 0)
			die("out of memory");
		json_object_object_add(totals, key, totals_obj(bs[i].counts));
		json_object *r = json_object_new_object();

		json_object_object_add(r, "time", time_attr(0.0, bs[i].time));
		json_object_object_add(rt, key, r);
		free(key);
	}
	json_object_object_add(root, "totals", totals);
	json_object_object_add(root, "runtimes", rt);

	if (asprintf(&path, "%s/results.json", dir) < 0)
		die("out of memory");
	errno = 0;
	ret = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	free(path);
	if (ret) {
		/* the write's errno (ENOSPC), not a generic EIO */
		ret = errno ? -errno : -EIO;
		fprintf(stderr, "igt_vm_results: writing results.json: %s\n",
			json_util_get_last_err());
		json_object_put(root);
		goto out;
	}
	json_object_put(root);

	ret = write_xml(dir, name, es, bs, nbs);
	if (ret)
		goto out;

	for (int i = 0; i < NUM_RESULTS; i++)
		sb_addf(&sum, "%s: %d\n", result_names[i], counts[i]);
	sb_addf(&sum, "total: %zu\n", es->n);
	if (asprintf(&path, "%s/summary.txt", dir) < 0)
		die("out of memory");
	ret = write_string(path, sum.s);
	free(path);
	sb_free(&sum);
out:
	for (size_t i = 0; i < nbs; i++)
		free(bs[i].bin);
	free(bs);
	return ret;
}

static void build_usage(FILE *f)
{
	fputs("usage: igt_vm_results build --name NAME --out DIR "
	      "[--console FILE]... STREAM...\n", f);
}

/*
 * A binary run for several subtests in one process prints its header
 * once, in the first subtest's out: the entries of that binary without
 * one take the version another of its entries names.
 */
static void share_igt_version(struct entries *es)
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

int cmd_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "console", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *name = NULL, *dir = NULL, **consoles = NULL;
	struct stream_stats st = { };
	struct build b = { };
	struct entries es = { };
	int nconsoles = 0, c, ret, nstreams;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'c':
			consoles = xrealloc(consoles, (nconsoles + 1) *
					    sizeof(*consoles));
			consoles[nconsoles++] = optarg;
			break;
		case 'h':
			build_usage(stdout);
			return 0;
		default:
			build_usage(stderr);
			return 2;
		}
	}
	nstreams = argc - optind;
	if (!dir || nstreams < 1) {
		build_usage(stderr);
		return 2;
	}
	if (!name) {
		name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		if (!*name)
			name = dir;
	}
	if (nconsoles > nstreams)
		die("%d --console files for %d streams", nconsoles, nstreams);
	if (regcomp(&panic_rx, panic_re, REG_EXTENDED | REG_NOSUB))
		die("regcomp");
	dmesg_rules_compile();

	for (int i = 0; i < nstreams; i++) {
		const char *path = argv[optind + i];

		b.cur_boot = i;
		/* a boot that died before the runner started wrote nothing */
		if (stream_read(path, build_cb, &b, &st))
			fprintf(stderr, "igt_vm_results: %s: %s (boot %d "
				"skipped)\n", path, strerror(errno), i);
	}
	fprintf(stderr, "igt_vm_results: %d streams, %zu lines, %zu records, "
		"%zu other lines, %zu damaged records\n", nstreams, st.lines,
		st.records, st.ignored, st.bad);

	for (size_t i = 0; i < b.njobs; i++) {
		struct job *j = &b.jobs[i];

		switch (j->state) {
		case JOB_DONE:
			entries_from_result(&es, j);
			break;
		case JOB_LOST:
			entry_lost(&es, j, j->boot >= 0 &&
				   j->boot < nconsoles ?
				   consoles[j->boot] : NULL);
			break;
		case JOB_NOTRUN:
			entry_notrun(&es, j);
			break;
		}
	}

	share_igt_version(&es);

	ret = mkdir_p(dir);
	if (ret)
		die("%s: %s", dir, strerror(-ret));
	ret = write_results(dir, name, &b, &es, prog_argc, prog_argv);
	if (ret)
		die("writing results into %s: %s", dir, strerror(-ret));

	for (size_t i = 0; i < es.n; i++) {
		free(es.v[i].name);
		free(es.v[i].bin);
		free(es.v[i].out);
		free(es.v[i].err);
		free(es.v[i].dmesg);
		free(es.v[i].warnings);
		free(es.v[i].igt_version);
	}
	free(es.v);
	for (size_t i = 0; i < b.njobs; i++) {
		free(b.jobs[i].bin);
		free(b.jobs[i].sub);
		json_object_put(b.jobs[i].result);
	}
	free(b.jobs);
	free(b.uname);
	free(consoles);
	regfree(&panic_rx);
	dmesg_rules_free();
	return 0;
}
