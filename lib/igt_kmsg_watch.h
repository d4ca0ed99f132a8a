/* SPDX-License-Identifier: MIT */
/*
 * Watching the kernel log around one operation, for checks such as "this
 * mmap must not make the kernel warn".
 */
#ifndef IGT_KMSG_WATCH_H
#define IGT_KMSG_WATCH_H

#include <stdbool.h>
#include <stddef.h>

struct igt_kmsg_watch {
	int fd;
	/*
	 * Count only a kernel bug's report (WARNING:, BUG:, Oops, bad page,
	 * ...), not every KERN_WARNING record: a TCG guest's clocksource
	 * watchdog complains at that level whenever the host is busy.
	 */
	bool bugs_only;
};

int igt_kmsg_watch_begin(struct igt_kmsg_watch *w);
int igt_kmsg_watch_end(struct igt_kmsg_watch *w, char *report, size_t len);
int igt_kmsg_is_warning(const char *record);
int igt_kmsg_is_bug(const char *record);

#endif /* IGT_KMSG_WATCH_H */
