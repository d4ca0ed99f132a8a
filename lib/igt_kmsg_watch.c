// SPDX-License-Identifier: MIT
/*
 * /dev/kmsg gives whole records with their level, and a reader opened
 * and moved to the end sees exactly what was logged after that point.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_kmsg_watch.h"

int igt_kmsg_watch_begin(struct igt_kmsg_watch *w)
{
	w->bugs_only = false;
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0)
		return -errno;
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		int err = errno;

		close(w->fd);
		w->fd = -1;
		return -err;
	}
	return 0;
}

/*
 * A record is "PRIO,SEQ,USEC,FLAGS;text". Level 4 (KERN_WARNING) and
 * worse counts, and so does the text of a WARN()/BUG()/bad page report,
 * whatever level a given kernel printed it at.
 */
static int kmsg_classify(const char *record, bool bugs_only)
{
	static const char *const patterns[] = {
		"WARNING:", "BUG:", "Oops", "bad page", "general protection",
		"Call Trace:",
	};
	const char *text = strchr(record, ';');
	int prio;

	if (!text || sscanf(record, "%d", &prio) != 1)
		return 0;
	text++;
	/* only the kernel's own records: user space may write to kmsg */
	if (prio >> 3)
		return 0;
	if (strstr(text, "[IGT]"))
		return 0;
	if (!bugs_only && (prio & 7) <= 4)
		return 1;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		if (strcasestr(text, patterns[i]))
			return 1;
	return 0;
}

int igt_kmsg_is_warning(const char *record)
{
	return kmsg_classify(record, false);
}

/* A WARN()/BUG()/Oops or bad page report, whatever its level. */
int igt_kmsg_is_bug(const char *record)
{
	return kmsg_classify(record, true);
}

/* Returns the number of warning records since begin, or -errno. */
int igt_kmsg_watch_end(struct igt_kmsg_watch *w, char *report, size_t len)
{
	char rec[8192];
	size_t used = 0;
	int count = 0;

	if (len)
		report[0] = '\0';
	if (w->fd < 0)
		return -EBADF;
	for (;;) {
		ssize_t n = read(w->fd, rec, sizeof(rec) - 1);

		if (n < 0 && errno == EPIPE)	/* overwritten: keep going */
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (!kmsg_classify(rec, w->bugs_only))
			continue;
		count++;
		if (used + 1 < len) {
			const char *text = strchr(rec, ';') + 1;
			int w_ = snprintf(report + used, len - used, "%s%.*s",
					  used ? " | " : "",
					  (int)strcspn(text, "\n"), text);

			if (w_ > 0)
				used += (size_t)w_ < len - used ? (size_t)w_ :
					len - used - 1;
		}
	}
	close(w->fd);
	w->fd = -1;
	return count;
}
