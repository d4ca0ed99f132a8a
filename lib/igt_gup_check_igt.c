// SPDX-License-Identifier: MIT
/*
 * The mapping checker's verdict as the result of the running IGT subtest
 * (or dynamic subtest): the one place where both tests turn it into
 * pass, fail or skip, and where the facts line (lib/igt_gup_facts.h) is
 * printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "igt_gup_check.h"
#include "igt_gup_facts.h"

/* The running subtest's subject: the tests run one subtest per process
 * (or one at a time), so one copy is enough. */
static struct {
	char kind[16], path[64], check[64], device[32], driver[32], module[64];
	bool has_device;
	char huge[256];
	bool has_huge;
} cur;

static void subject_of(struct igt_gup_subject *s)
{
	*s = (struct igt_gup_subject){
		.kind = cur.kind, .path = cur.path, .check = cur.check,
		.device = cur.has_device ? cur.device : NULL,
		.driver = cur.driver, .module = cur.module,
	};
}

/*
 * The lines of a conclusion, written as one block: each igt_info() is a
 * write(2) that wakes the reader of the output (the guest runner; under
 * TCG each wake-up is a costly context switch), and a check of three
 * mappings with every probe prints some eighty lines. The bytes are
 * those of one igt_info() per line.
 */
#define FACTS_LEN (64 << 10)

static struct {
	char s[FACTS_LEN + (16 << 10)];
	size_t used;
} block;

static void block_flush(void)
{
	if (block.used)
		igt_info("%s", block.s);
	block.used = 0;
	block.s[0] = '\0';
}

static void block_line(const char *line)
{
	size_t n = strlen(line);

	if (block.used + n + 2 > sizeof(block.s))
		block_flush();
	if (n + 2 > sizeof(block.s)) {
		igt_info("%s\n", line);
		return;
	}
	memcpy(block.s + block.used, line, n);
	block.used += n;
	block.s[block.used++] = '\n';
	block.s[block.used] = '\0';
}

static void print_facts(const struct igt_gup_check *c)
{
	struct igt_gup_subject s;
	char *buf = malloc(FACTS_LEN);

	igt_assert(buf);
	subject_of(&s);
	block_line(igt_gup_facts_format(buf, FACTS_LEN, igt_test_name(), &s,
					c, cur.has_huge ? cur.huge : NULL));
	free(buf);
}

void igt_gup_facts_subject(const struct igt_gup_subject *s)
{
	memset(&cur, 0, sizeof(cur));
	snprintf(cur.kind, sizeof(cur.kind), "%s", s->kind ? s->kind : "");
	snprintf(cur.path, sizeof(cur.path), "%s", s->path ? s->path : "");
	snprintf(cur.check, sizeof(cur.check), "%s", s->check ? s->check : "");
	if (s->device) {
		cur.has_device = true;
		snprintf(cur.device, sizeof(cur.device), "%s", s->device);
		snprintf(cur.driver, sizeof(cur.driver), "%s",
			 s->driver ? s->driver : "");
		snprintf(cur.module, sizeof(cur.module), "%s",
			 s->module ? s->module : "");
	}
	print_facts(NULL);
	block_flush();
}

void igt_gup_facts_huge(const char *evidence)
{
	snprintf(cur.huge, sizeof(cur.huge), "%s", evidence);
	cur.has_huge = true;
}

void igt_gup_check_conclude(const struct igt_gup_check *c, const char *what)
{
	const char *name = igt_gup_verdict_name(c->verdict);
	char line[2048];

	igt_gup_check_print(c, block_line);
	/* the machine-readable lines: the matrix reads the facts */
	print_facts(c);
	snprintf(line, sizeof(line), IGT_GUP_VERDICT_TAG "%s", name);
	block_line(line);
	if (c->verdict == IGT_GUP_VERDICT_PASS) {
		snprintf(line, sizeof(line), "%s: %s", what, c->why);
		block_line(line);
	}
	block_flush();
	errno = 0;	/* the probes' own errnos are not the failure */
	switch (c->verdict) {
	case IGT_GUP_VERDICT_PASS:
		return;
	case IGT_GUP_VERDICT_FAIL:
		igt_assert_f(false, "%s: %s\n", what, c->why);
		return;
	default:
		igt_skip("%s: %s: %s\n", what, name, c->why);
	}
}

void igt_gup_info_line(const char *line)
{
	igt_info("%s\n", line);
}
