/* SPDX-License-Identifier: MIT */
/*
 * --hook for core/: shell commands run at the points of a test's life
 * that upstream IGT's lib/igt_hook.h names (pre-test, pre-subtest, ...),
 * with the same IGT_HOOK_* environment. Internal to core/: tests never
 * call it, and upstream's own lib/igt_hook.c replaces it.
 */
#ifndef IGT_CORE_HOOK_H
#define IGT_CORE_HOOK_H

#include <stdbool.h>
#include <stdio.h>

enum igt_core_hook_event {
	IGT_CORE_HOOK_PRE_TEST,
	IGT_CORE_HOOK_PRE_SUBTEST,
	IGT_CORE_HOOK_PRE_DYN_SUBTEST,
	IGT_CORE_HOOK_POST_DYN_SUBTEST,
	IGT_CORE_HOOK_POST_SUBTEST,
	IGT_CORE_HOOK_POST_TEST,
	IGT_CORE_HOOK_POST_KMOD_UNBIND,	/* accepted, never fired here */
	IGT_CORE_HOOK_NUM_EVENTS,
};

/* "[EVENT[,EVENT...]:]COMMAND"; NULL on success, else what is wrong */
const char *igt_core_hook_add(const char *descriptor);
bool igt_core_hook_active(void);
/* @name: the test, subtest or dynamic subtest that starts (pre-*) */
void igt_core_hook_notify(enum igt_core_hook_event evt, const char *name,
			  const char *result);
void igt_core_hook_print_help(FILE *f);
void igt_core_hook_free_all(void);

#endif /* IGT_CORE_HOOK_H */
