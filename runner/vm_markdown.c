// SPDX-License-Identifier: MIT
/*
 * The matrix as a Markdown table on stdout: a row per driver and path, a
 * column per kernel, failures in bold (vm_matrix.h).
 */

#include <stdio.h>

#include "vm_matrix.h"

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

void print_markdown(const struct matrix *m, const struct row *rows,
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
			struct cell *c = cell_find(m, k, &rows[r]);
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
