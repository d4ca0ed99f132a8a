/* SPDX-License-Identifier: MIT */
/*
 * Watching the kernel log around one operation, for checks such as "this
 * mmap must not make the kernel warn".
 */
#ifndef IGT_KMSG_WATCH_H
#define IGT_KMSG_WATCH_H

#include <stddef.h>

struct igt_kmsg_watch {
	int fd;
};

int igt_kmsg_watch_begin(struct igt_kmsg_watch *w);
int igt_kmsg_watch_end(struct igt_kmsg_watch *w, char *report, size_t len);
int igt_kmsg_is_warning(const char *record);

#endif /* IGT_KMSG_WATCH_H */
