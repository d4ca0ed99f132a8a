// SPDX-License-Identifier: MIT
/*
 * THP knobs. Each one reads as a list of choices with the current one in
 * brackets ("always within_size advise [never] deny force") and takes one
 * word on write. A test that changes one keeps what it read first, so the
 * knob goes back to the machine's setting however the test ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "igt_thp.h"

#define MAX_SAVED 8

static struct {
	char path[160];
	char value[32];
} saved[MAX_SAVED];
static int num_saved;

static void knob_path(const char *knob, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", IGT_THP_DIR, knob);
}

int igt_thp_parse_choice(const char *text, char *val, size_t len)
{
	const char *open = strchr(text, '['), *close;
	size_t n;

	if (!open)
		return -EINVAL;
	close = strchr(open, ']');
	if (!close || close == open + 1)
		return -EINVAL;
	n = close - open - 1;
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(val, open + 1, n);
	val[n] = '\0';
	return 0;
}

int igt_thp_get(const char *knob, char *val, size_t len)
{
	char path[160], text[256];
	ssize_t n;
	int fd;

	knob_path(knob, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	if (n < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	close(fd);
	text[n] = '\0';
	return igt_thp_parse_choice(text, val, len);
}

static int write_word(const char *path, const char *word)
{
	size_t len = strlen(word);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, word, len) != (ssize_t)len)
		err = -errno;
	close(fd);
	return err;
}

static bool is_saved(const char *path)
{
	for (int i = 0; i < num_saved; i++)
		if (!strcmp(saved[i].path, path))
			return true;
	return false;
}

int igt_thp_set(const char *knob, const char *value, char *said,
		size_t said_len)
{
	char path[160], cur[32];
	int r;

	knob_path(knob, path, sizeof(path));
	r = igt_thp_get(knob, cur, sizeof(cur));
	if (r) {
		snprintf(said, said_len, "%s: cannot read (%s)", knob,
			 strerror(-r));
		return r;
	}
	if (!strcmp(cur, value)) {
		snprintf(said, said_len, "%s: already %s", knob, value);
		return 0;
	}
	if (!is_saved(path)) {
		if (num_saved == MAX_SAVED) {
			snprintf(said, said_len, "%s: too many knobs changed",
				 knob);
			return -ENOSPC;
		}
		snprintf(saved[num_saved].path, sizeof(saved[0].path), "%s",
			 path);
		snprintf(saved[num_saved].value, sizeof(saved[0].value), "%s",
			 cur);
		num_saved++;
	}
	r = write_word(path, value);
	if (r) {
		snprintf(said, said_len, "%s: cannot set %s (%s)", knob, value,
			 strerror(-r));
		return r;
	}
	snprintf(said, said_len, "%s: %s -> %s", knob, cur, value);
	return 1;
}

int igt_thp_restore(void)
{
	int restored = 0;

	while (num_saved > 0) {
		num_saved--;
		if (!write_word(saved[num_saved].path, saved[num_saved].value))
			restored++;
	}
	return restored;
}

static bool one_of(const char *val, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(val, *set))
			return true;
	return false;
}

/* Sets @knob to @value unless its choice is one of @fine already. */
static int want(const char *knob, const char *const *fine, const char *value,
		bool optional, char *said, size_t said_len)
{
	char cur[32], line[128];
	size_t used = strlen(said);
	int r;

	r = igt_thp_get(knob, cur, sizeof(cur));
	if (r == -ENOENT && optional)
		return 0;
	if (!r && one_of(cur, fine))
		return 0;
	r = igt_thp_set(knob, value, line, sizeof(line));
	if (used + 3 < said_len)
		snprintf(said + used, said_len - used, "%s%s",
			 used ? "; " : "", line);
	return r < 0 ? r : 0;
}

int igt_thp_enable(bool anon, bool shmem, char *said, size_t said_len)
{
	static const char *const anon_fine[] = { "always", "madvise", NULL };
	static const char *const shmem_fine[] = {
		"always", "within_size", "force", NULL,
	};
	static const char *const anon_size_fine[] = {
		"always", "madvise", "inherit", NULL,
	};
	static const char *const shmem_size_fine[] = {
		"always", "inherit", "within_size", "force", NULL,
	};
	int r = 0, e;

	said[0] = '\0';
	if (anon) {
		e = want("enabled", anon_fine, "madvise", false, said,
			 said_len);
		r = r ? r : e;
		e = want("hugepages-2048kB/enabled", anon_size_fine, "inherit",
			 true, said, said_len);
		r = r ? r : e;
	}
	if (shmem) {
		e = want("shmem_enabled", shmem_fine, "within_size", false,
			 said, said_len);
		r = r ? r : e;
		e = want("hugepages-2048kB/shmem_enabled", shmem_size_fine,
			 "inherit", true, said, said_len);
		r = r ? r : e;
	}
	return r;
}
