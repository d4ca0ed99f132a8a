// SPDX-License-Identifier: MIT
/*
 * kprobe events: "p:GROUP/NAME SYMBOL" (or "r:... ret=$retval") written to
 * tracefs' kprobe_events creates an event under events/GROUP/NAME in every
 * instance; enabling it in an instance of our own, with set_event_pid set
 * to this process, records only our hits and leaves the global buffer and
 * other tracers alone. Removal needs the event disabled everywhere first.
 *
 * The hits are consumed through the instance's trace_pipe, kept open and
 * non-blocking: truncating or opening the instance's "trace" file waits
 * for an RCU grace period each time (ring buffer reset, read iterator
 * set-up), which a test that clears and reads around every probe pays
 * hundreds of times, and a preemptible-RCU kernel on one idle CPU spends
 * milliseconds in each.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igt_kprobe.h"

#define MAX_OPEN 4

static struct igt_kprobe_set *open_sets[MAX_OPEN];

static int write_str(const char *path, const char *s, int flags)
{
	size_t len = strlen(s);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	if (len && write(fd, s, len) != (ssize_t)len)
		err = -errno;
	close(fd);
	return err;
}

static bool has_kprobe_events(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	return access(path, W_OK) == 0;
}

/*
 * /sys/kernel/tracing first, mounting tracefs there if need be: touching
 * debugfs' tracing folder automounts it, which 7.x logs as deprecated at
 * warning level, and a test must not cause kernel warnings of its own.
 */
static int find_tracefs(struct igt_kprobe_set *ks, char *why, size_t why_len)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	int err;

	if (has_kprobe_events(dirs[0])) {
		snprintf(ks->tracefs, sizeof(ks->tracefs), "%s", dirs[0]);
		return 0;
	}
	if (mount("nodev", dirs[0], "tracefs", 0, NULL) == 0) {
		if (has_kprobe_events(dirs[0])) {
			snprintf(ks->tracefs, sizeof(ks->tracefs), "%s",
				 dirs[0]);
			ks->mounted = true;
			return 0;
		}
		umount(dirs[0]);
		snprintf(why, why_len,
			 "tracefs has no kprobe_events (CONFIG_KPROBE_EVENTS off)");
		return -ENOENT;
	}
	err = errno;
	/* kernels without /sys/kernel/tracing (before 4.1) */
	if (has_kprobe_events(dirs[1])) {
		snprintf(ks->tracefs, sizeof(ks->tracefs), "%s", dirs[1]);
		return 0;
	}
	snprintf(why, why_len, "no tracefs with kprobe_events (mount: %s)",
		 strerror(err));
	return -ENOENT;
}

static void event_file(const struct igt_kprobe_set *ks, const char *name,
		       const char *file, char *path, size_t len)
{
	snprintf(path, len, "%s/events/%s/%s/%s", ks->instance, ks->group,
		 name, file);
}

/*
 * One line of kprobe_events: "p:GROUP/NAME SYMBOL[+OFFSET] [ARGS]" or
 * "r[MAXACTIVE]:GROUP/NAME SYMBOL ret=$retval"; the fields as long as
 * the set's own (a longer group is never one of ours).
 */
struct event_def {
	char group[32], name[32], symbol[64];
	bool ret;
};

static bool parse_def(const char *line, struct event_def *d)
{
	const char *colon = strchr(line, ':');

	if ((line[0] != 'p' && line[0] != 'r') || !colon)
		return false;
	d->ret = line[0] == 'r';
	d->symbol[0] = '\0';
	return sscanf(colon + 1, "%31[^/]/%31s %63s", d->group, d->name,
		      d->symbol) >= 2;
}

/* Removes GROUP/NAME from @events (kprobe_events): disabled everywhere. */
static void undefine(const char *events, const char *group, const char *name)
{
	char def[80];

	snprintf(def, sizeof(def), "-:%s/%s", group, name);
	write_str(events, def, O_APPEND);
}

/*
 * Events and instances of a process that died without closing (SIGKILL,
 * a test timeout) stay in tracefs: remove those of group igt_<tag>_<pid>
 * whose pid is gone.
 */
static void remove_stale(const char *tracefs, const char *tag)
{
	char path[200], prefix[40], line[256], def[400];
	struct event_def d;
	FILE *f;

	snprintf(prefix, sizeof(prefix), "igt_%.12s_", tag);
	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *slash;
		long pid;

		if (!parse_def(line, &d) ||
		    strncmp(d.group, prefix, strlen(prefix)))
			continue;
		pid = strtol(d.group + strlen(prefix), &slash, 10);
		if (*slash || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		snprintf(def, sizeof(def), "%s/instances/%s/events/%s/%s/enable",
			 tracefs, d.group, d.group, d.name);
		write_str(def, "0", O_TRUNC);
		snprintf(def, sizeof(def), "%s/instances/%s", tracefs, d.group);
		rmdir(def);
		undefine(path, d.group, d.name);
	}
	fclose(f);
}

static bool keep_mode(void)
{
	const char *v = getenv("IGT_KPROBE_KEEP");

	return v && !strcmp(v, "1");
}

static bool read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The events a kept set's earlier process defined, from kprobe_events. */
static void load_kept(struct igt_kprobe_set *ks)
{
	char path[256], line[256], state[8];
	struct event_def d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kprobe_events", ks->tracefs);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) &&
	       ks->num_events < IGT_KPROBE_MAX_EVENTS) {
		if (!parse_def(line, &d) || !d.symbol[0] ||
		    strcmp(d.group, ks->group))
			continue;
		snprintf(ks->events[ks->num_events].name,
			 sizeof(ks->events[0].name), "%s", d.name);
		snprintf(ks->events[ks->num_events].symbol,
			 sizeof(ks->events[0].symbol), "%s", d.symbol);
		ks->events[ks->num_events].ret = d.ret;
		event_file(ks, d.name, "enable", path, sizeof(path));
		ks->events[ks->num_events].enabled =
			read_str(path, state, sizeof(state)) && state[0] == '1';
		ks->num_events++;
	}
	fclose(f);
}

int igt_kprobe_open(struct igt_kprobe_set *ks, const char *tag, char *why,
		    size_t why_len)
{
	char path[200], pid[16];
	int slot = -1, r;

	memset(ks, 0, sizeof(*ks));
	ks->pipe_fd = -1;
	for (int i = 0; i < MAX_OPEN && slot < 0; i++)
		if (!open_sets[i])
			slot = i;
	if (slot < 0) {
		snprintf(why, why_len, "too many kprobe sets open");
		return -EBUSY;
	}
	r = find_tracefs(ks, why, why_len);
	if (r)
		return r;
	remove_stale(ks->tracefs, tag);
	ks->keep = keep_mode();
	if (ks->keep)
		snprintf(ks->group, sizeof(ks->group), "igt_%.12s_keep", tag);
	else
		snprintf(ks->group, sizeof(ks->group), "igt_%.12s_%d", tag,
			 (int)getpid());
	snprintf(ks->instance, sizeof(ks->instance), "%s/instances/%s",
		 ks->tracefs, ks->group);
	if (mkdir(ks->instance, 0700) && errno != EEXIST) {
		r = -errno;
		snprintf(why, why_len, "cannot create trace instance %s: %s",
			 ks->instance, strerror(errno));
		if (ks->mounted)
			umount(ks->tracefs);
		return r;
	}
	snprintf(path, sizeof(path), "%s/set_event_pid", ks->instance);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	r = write_str(path, pid, O_TRUNC);
	if (r) {
		snprintf(why, why_len, "cannot filter %s by pid: %s", path,
			 strerror(-r));
		goto err_instance;
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", ks->instance);
	ks->pipe_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ks->pipe_fd < 0) {
		r = -errno;
		snprintf(why, why_len, "cannot open %s: %s", path,
			 strerror(errno));
		goto err_instance;
	}
	ks->open = true;
	open_sets[slot] = ks;
	if (ks->keep) {
		load_kept(ks);
		/* what the last process left, and what came before our pid */
		igt_kprobe_clear(ks);
	}
	return 0;

err_instance:
	rmdir(ks->instance);
	if (ks->mounted)
		umount(ks->tracefs);
	return r;
}

/*
 * Event @name of a kept set, defined by an earlier process: the index in
 * @symbols of the symbol it sits on, enabled here if it is not. One that
 * sits elsewhere (another build's list) is disabled and removed, to be
 * defined anew: -ENOENT, as for one that is not there.
 */
static int take_kept(struct igt_kprobe_set *ks, const char *name, bool ret,
		     const char *const *symbols, const char *events)
{
	char path[256];
	int k;

	for (k = 0; k < ks->num_events; k++)
		if (!strcmp(ks->events[k].name, name))
			break;
	if (k == ks->num_events)
		return -ENOENT;
	event_file(ks, name, "enable", path, sizeof(path));
	for (int i = 0; symbols[i]; i++) {
		if (strcmp(ks->events[k].symbol, symbols[i]) ||
		    ks->events[k].ret != ret)
			continue;
		if (!ks->events[k].enabled) {
			int r = write_str(path, "1", O_TRUNC);

			if (r)
				return r;
			ks->events[k].enabled = true;
		}
		return i;
	}
	write_str(path, "0", O_TRUNC);
	undefine(events, ks->group, name);
	ks->num_events--;
	memmove(&ks->events[k], &ks->events[k + 1],
		(ks->num_events - k) * sizeof(ks->events[0]));
	return -ENOENT;
}

int igt_kprobe_add(struct igt_kprobe_set *ks, const char *name, bool ret,
		   const char *const *symbols)
{
	char events[100], def[200], path[256];
	int r = -ENOENT;

	if (!ks->open)
		return -EINVAL;
	snprintf(events, sizeof(events), "%s/kprobe_events", ks->tracefs);
	r = take_kept(ks, name, ret, symbols, events);
	if (r != -ENOENT)
		return r;
	if (ks->num_events == IGT_KPROBE_MAX_EVENTS)
		return -EINVAL;
	for (int i = 0; symbols[i]; i++) {
		snprintf(def, sizeof(def), "%s:%s/%s %s%s", ret ? "r" : "p",
			 ks->group, name, symbols[i], ret ? " ret=$retval" : "");
		r = write_str(events, def, O_APPEND);
		if (r)
			continue;
		snprintf(ks->events[ks->num_events].name,
			 sizeof(ks->events[0].name), "%s", name);
		snprintf(ks->events[ks->num_events].symbol,
			 sizeof(ks->events[0].symbol), "%s", symbols[i]);
		ks->events[ks->num_events].ret = ret;
		ks->num_events++;
		event_file(ks, name, "enable", path, sizeof(path));
		r = write_str(path, "1", O_TRUNC);
		if (r)
			return r;
		ks->events[ks->num_events - 1].enabled = true;
		return i;
	}
	return r;
}

const char *igt_kprobe_symbol(const struct igt_kprobe_set *ks,
			      const char *name)
{
	for (int i = 0; i < ks->num_events; i++)
		if (!strcmp(ks->events[i].name, name))
			return ks->events[i].symbol;
	return NULL;
}

/*
 * Reads what trace_pipe holds into @buf (up to @len bytes, @len > 0);
 * stops at an empty pipe (EAGAIN). Bytes read or -errno.
 */
static ssize_t read_pipe(struct igt_kprobe_set *ks, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;

	while (used < len) {
		n = read(ks->pipe_fd, buf + used, len - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		used += n;
	}
	return used;
}

int igt_kprobe_clear(struct igt_kprobe_set *ks)
{
	char buf[4096];
	ssize_t n;

	if (!ks->open)
		return -EINVAL;
	do
		n = read_pipe(ks, buf, sizeof(buf));
	while (n == (ssize_t)sizeof(buf));
	return n < 0 ? n : 0;
}

ssize_t igt_kprobe_read(struct igt_kprobe_set *ks, char *buf, size_t len)
{
	ssize_t n;

	if (!len || !ks->open)
		return -EINVAL;
	n = read_pipe(ks, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

/* Only syscalls and string formatting: it runs from exit handlers. */
void igt_kprobe_close(struct igt_kprobe_set *ks)
{
	char events[100], path[256];

	if (!ks->open)
		return;
	if (ks->keep) {
		/*
		 * Left armed, for the next process; set_event_pid still
		 * names this one, so nothing is recorded once it is gone.
		 */
		close(ks->pipe_fd);
		ks->pipe_fd = -1;
		goto closed;
	}
	for (int i = 0; i < ks->num_events; i++) {
		if (!ks->events[i].enabled)
			continue;
		event_file(ks, ks->events[i].name, "enable", path,
			   sizeof(path));
		write_str(path, "0", O_TRUNC);
	}
	/* an instance with an open trace_pipe cannot be removed */
	close(ks->pipe_fd);
	ks->pipe_fd = -1;
	rmdir(ks->instance);
	snprintf(events, sizeof(events), "%s/kprobe_events", ks->tracefs);
	for (int i = 0; i < ks->num_events; i++)
		undefine(events, ks->group, ks->events[i].name);
	if (ks->mounted)
		umount(ks->tracefs);
closed:
	ks->open = false;
	ks->num_events = 0;
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_sets[i] == ks)
			open_sets[i] = NULL;
}

void igt_kprobe_close_all(void)
{
	for (int i = 0; i < MAX_OPEN; i++)
		if (open_sets[i])
			igt_kprobe_close(open_sets[i]);
}
