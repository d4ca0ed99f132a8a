// SPDX-License-Identifier: MIT
/*
 * junit.xml: one testsuite per IGT binary, one testcase per entry, for CI
 * systems that read JUnit (not results.xml, which piglit takes for its
 * own format when given the folder) (vm_write.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_write.h"

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

/* a binary's entries of one JUnit kind: failure, error or skipped */
static int junit_count(const struct bin_tally *t, const char *kind)
{
	int n = 0;

	for (int i = 0; i < NUM_RESULTS; i++) {
		const char *k = junit_kind(result_names[i]);

		if (k && !strcmp(k, kind))
			n += t->counts[i];
	}
	return n;
}

int write_junit(const char *dir, const char *name, const struct build *b,
		const struct entries *es)
{
	struct strbuf sb = { };
	struct bin_tally *bs;
	size_t nbs;
	char *path;
	int total = 0, fail = 0, err = 0, skip = 0, ret;
	double time = 0;

	bs = tally_bins(b, es, &nbs);
	for (size_t i = 0; i < nbs; i++) {
		total += bs[i].tests;
		fail += junit_count(&bs[i], "failure");
		err += junit_count(&bs[i], "error");
		skip += junit_count(&bs[i], "skipped");
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
			junit_count(&bs[b], "failure"),
			junit_count(&bs[b], "error"),
			junit_count(&bs[b], "skipped"), bs[b].time);
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
	tallies_free(bs, nbs);
	return ret;
}
