// SPDX-License-Identifier: MIT
/*
 * --hook DESCRIPTOR: run a shell command when the test, a subtest or a
 * dynamic subtest starts or ends. Written from the behaviour of upstream
 * IGT's --hook (event names, descriptor syntax and IGT_HOOK_* variables
 * are its interface, which igt_runner passes through); none of its code.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt_hook.h"

#define MAX_HOOKS 16

static const struct {
	const char *name;
	const char *when;
} events[IGT_CORE_HOOK_NUM_EVENTS] = {
	[IGT_CORE_HOOK_PRE_TEST] = { "pre-test", "before the test starts" },
	[IGT_CORE_HOOK_PRE_SUBTEST] = { "pre-subtest",
					"when a subtest starts" },
	[IGT_CORE_HOOK_PRE_DYN_SUBTEST] = { "pre-dyn-subtest",
					    "when a dynamic subtest starts" },
	[IGT_CORE_HOOK_POST_DYN_SUBTEST] = { "post-dyn-subtest",
					     "when a dynamic subtest has ended" },
	[IGT_CORE_HOOK_POST_SUBTEST] = { "post-subtest",
					 "when a subtest has ended" },
	[IGT_CORE_HOOK_POST_TEST] = { "post-test",
				      "when the test has ended" },
	[IGT_CORE_HOOK_POST_KMOD_UNBIND] = { "post-kmod-unbind",
		"after a driver is unbound (never here: core unbinds nothing)" },
};

static struct {
	unsigned int mask;
	char *cmd;
} hooks[MAX_HOOKS];
static int num_hooks;

/* what is running now, for IGT_HOOK_TEST, _SUBTEST, _DYN_SUBTEST */
static char *names[3];

static int event_by_name(const char *s, size_t len)
{
	for (int e = 0; e < IGT_CORE_HOOK_NUM_EVENTS; e++)
		if (strlen(events[e].name) == len &&
		    !strncmp(events[e].name, s, len))
			return e;
	return -1;
}

const char *igt_core_hook_add(const char *descriptor)
{
	const char *colon = strchr(descriptor, ':');
	const char *cmd = descriptor, *s = descriptor;
	unsigned int mask = 0;

	if (num_hooks == MAX_HOOKS)
		return "too many --hook options";
	if (!colon) {
		mask = ~0u;
	} else {
		/* a comma-separated list of event names or '*' */
		while (s <= colon) {
			size_t len = strcspn(s, ",:");
			int e;

			if (!len)
				return "empty event name before ':'";
			if (len == 1 && *s == '*') {
				mask = ~0u;
			} else {
				e = event_by_name(s, len);
				if (e < 0)
					return "unknown event name (see --help-hook)";
				mask |= 1u << e;
			}
			s += len + 1;
		}
		cmd = colon + 1;
	}
	hooks[num_hooks].cmd = strdup(cmd);
	if (!hooks[num_hooks].cmd)
		return "out of memory";
	hooks[num_hooks++].mask = mask;
	return NULL;
}

bool igt_core_hook_active(void)
{
	return num_hooks > 0;
}

static void set_name(int level, const char *name)
{
	free(names[level]);
	names[level] = name ? strdup(name) : NULL;
}

static void export_env(enum igt_core_hook_event evt, const char *result)
{
	char full[1024] = "";
	size_t used = 0;

	/* igt@TEST[@SUB[@DYN]] */
	for (int i = 0; i < 3 && names[i] && *names[i]; i++) {
		int n = snprintf(full + used, sizeof(full) - used, "%s%s",
				 i ? "@" : "igt@", names[i]);

		if (n < 0 || (size_t)n >= sizeof(full) - used)
			break;
		used += n;
	}
	setenv("IGT_HOOK_EVENT", events[evt].name, 1);
	setenv("IGT_HOOK_TEST_FULLNAME", full, 1);
	setenv("IGT_HOOK_TEST", names[0] ? names[0] : "", 1);
	setenv("IGT_HOOK_SUBTEST", names[1] ? names[1] : "", 1);
	setenv("IGT_HOOK_DYN_SUBTEST", names[2] ? names[2] : "", 1);
	setenv("IGT_HOOK_KMOD_UNBIND_MODULE_NAME", "", 1);
	setenv("IGT_HOOK_RESULT", result ? result : "", 1);
}

void igt_core_hook_notify(enum igt_core_hook_event evt, const char *name,
			  const char *result)
{
	/* the name level each event opens (pre-*) or closes (post-*) */
	static const int level[IGT_CORE_HOOK_NUM_EVENTS] = {
		[IGT_CORE_HOOK_PRE_TEST] = 0,
		[IGT_CORE_HOOK_PRE_SUBTEST] = 1,
		[IGT_CORE_HOOK_PRE_DYN_SUBTEST] = 2,
		[IGT_CORE_HOOK_POST_DYN_SUBTEST] = 2,
		[IGT_CORE_HOOK_POST_SUBTEST] = 1,
		[IGT_CORE_HOOK_POST_TEST] = 0,
		[IGT_CORE_HOOK_POST_KMOD_UNBIND] = -1,
	};
	bool post = evt >= IGT_CORE_HOOK_POST_DYN_SUBTEST;
	bool exported = false;

	if (!num_hooks)
		return;
	if (!post && level[evt] >= 0)
		set_name(level[evt], name);

	for (int i = 0; i < num_hooks; i++) {
		int status;

		if (!(hooks[i].mask & (1u << evt)))
			continue;
		if (!exported) {
			export_env(evt, result);
			exported = true;
		}
		/* the hook's output follows what the test printed so far */
		fflush(stdout);
		fflush(stderr);
		/*
		 * A shell command is the interface (upstream runs it with
		 * system() too); its exit status is not a verdict.
		 */
		status = system(hooks[i].cmd); // NOLINT(cert-env33-c)
		(void)status;
	}

	if (post && level[evt] >= 0)
		set_name(level[evt], NULL);
}

void igt_core_hook_print_help(FILE *f)
{
	fputs("--hook [EVENTS:]COMMAND runs the shell command COMMAND at each of "
	      "EVENTS,\n"
	      "a comma-separated list of the event names below or '*' (all "
	      "of them,\n"
	      "also the meaning of a descriptor without ':'). Write '*:' in "
	      "front of a\n"
	      "COMMAND that holds a ':' itself. --hook may be repeated; the "
	      "commands\n"
	      "of one event run in the order given, and their exit status is "
	      "ignored.\n"
	      "\n"
	      "Events:\n", f);
	for (int e = 0; e < IGT_CORE_HOOK_NUM_EVENTS; e++)
		fprintf(f, "  %-18s %s\n", events[e].name, events[e].when);
	fputs("\n"
	      "Environment of COMMAND:\n"
	      "  IGT_HOOK_EVENT          the event's name\n"
	      "  IGT_HOOK_TEST_FULLNAME  igt@TEST[@SUBTEST[@DYNAMIC]]\n"
	      "  IGT_HOOK_TEST           the test binary's name\n"
	      "  IGT_HOOK_SUBTEST        the subtest running, or empty\n"
	      "  IGT_HOOK_DYN_SUBTEST    the dynamic subtest running, or empty\n"
	      "  IGT_HOOK_RESULT         SUCCESS, SKIP, FAIL, CRASH (post-* "
	      "events), or empty\n"
	      "  IGT_HOOK_KMOD_UNBIND_MODULE_NAME  always empty here\n"
	      "\n"
	      "Example: --hook 'post-subtest:echo $IGT_HOOK_TEST_FULLNAME "
	      "$IGT_HOOK_RESULT >> results.txt'\n", f);
}

void igt_core_hook_free_all(void)
{
	for (int i = 0; i < num_hooks; i++)
		free(hooks[i].cmd);
	num_hooks = 0;
	for (int i = 0; i < 3; i++)
		set_name(i, NULL);
}
