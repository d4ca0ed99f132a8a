/* SPDX-License-Identifier: MIT */
/*
 * The transparent-hugepage knobs under /sys/kernel/mm/transparent_hugepage:
 * read the current choice, change it for a test, and put every changed
 * knob back, from a subtest's end or from an exit handler.
 */
#ifndef IGT_THP_H
#define IGT_THP_H

#include <stdbool.h>
#include <stddef.h>

#define IGT_THP_DIR "/sys/kernel/mm/transparent_hugepage"

/*
 * The current choice of a knob ("enabled", "shmem_enabled",
 * "hugepages-2048kB/shmem_enabled"): the bracketed word of what the file
 * reads. 0, or -errno (-ENOENT: this kernel has no such knob).
 */
int igt_thp_get(const char *knob, char *val, size_t len);

/*
 * Make @value the knob's choice, remembering the first value seen so
 * igt_thp_restore() can put it back. @said gets one line for the log:
 * "shmem_enabled: never -> within_size", or "already within_size".
 * Returns 1 when the knob changed, 0 when it already had the value, or
 * -errno (-ENOENT: no such knob; -EACCES/-EPERM: not root).
 */
int igt_thp_set(const char *knob, const char *value, char *said,
		size_t said_len);

/*
 * Put back every knob igt_thp_set() changed, newest first; only open(),
 * write() and close(), so an exit handler may call it from a signal.
 * Returns how many knobs were restored.
 */
int igt_thp_restore(void);

/*
 * Makes PMD-sized THPs possible for anonymous memory (@anon: "enabled"
 * at always or madvise, with MADV_HUGEPAGE) and for the kernel's internal
 * shmem mount, where memfds and GEM objects live (@shmem: "shmem_enabled"
 * at always, within_size or force), and the 2 MiB per-size knobs of 6.8+
 * not at "never". Knobs already fit are left alone; the others change to
 * madvise, within_size and inherit. @said lists every change ("" when
 * none). 0, or the first -errno.
 */
int igt_thp_enable(bool anon, bool shmem, char *said, size_t said_len);

/* The bracketed choice in a knob's text ("always [madvise] never"). */
int igt_thp_parse_choice(const char *text, char *val, size_t len);

#endif /* IGT_THP_H */
