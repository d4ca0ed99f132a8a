/* SPDX-License-Identifier: MIT */
/*
 * Dynamic kprobe and kretprobe events through tracefs, recorded in a
 * trace instance of their own (the global buffer is left alone) and for
 * this process only. Every set is torn down by igt_kprobe_close(), or by
 * igt_kprobe_close_all() from an exit handler.
 *
 * With IGT_KPROBE_KEEP=1 in the environment, for a machine that is thrown
 * away after the run (the VM harness's guests), a set is named
 * igt_<tag>_keep and left in place, events armed, when it closes, and
 * the next process's igt_kprobe_open() of the same tag takes it over:
 * making the instance, creating and arming the events and undoing it all
 * were 9-23% of each test process's CPU time under TCG (perf, 6.12, 6.1,
 * 5.10). A machine that lives on must not keep kprobes armed.
 */
#ifndef IGT_KPROBE_H
#define IGT_KPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define IGT_KPROBE_MAX_EVENTS 8

struct igt_kprobe_set {
	bool open;
	bool keep;		/* IGT_KPROBE_KEEP: left in place at close */
	bool mounted;		/* we mounted tracefs and must unmount it */
	char tracefs[64];	/* where tracefs is */
	char group[32];		/* the kprobe group: igt_<tag>_<pid> */
	char instance[160];	/* tracefs instance folder */
	int pipe_fd;		/* its trace_pipe, non-blocking */
	int num_events;
	struct {
		char name[32];
		char symbol[64];	/* the symbol it sits on */
		bool ret;		/* a kretprobe */
		bool enabled;
	} events[IGT_KPROBE_MAX_EVENTS];
};

/*
 * Finds tracefs (mounting it on /sys/kernel/tracing where nothing is
 * there yet) and creates an instance for @tag. 0, or -errno with @why
 * saying what is missing (no tracefs, no kprobe_events: no
 * CONFIG_KPROBE_EVENTS, not root).
 */
int igt_kprobe_open(struct igt_kprobe_set *ks, const char *tag, char *why,
		    size_t why_len);

/*
 * Adds event @name on the first of @symbols the kernel accepts (a
 * kretprobe recording $retval as "ret" when @ret), and enables it in
 * the instance. Returns the index of the symbol used, or -errno when
 * none could be probed (not in kallsyms, inlined, blacklisted).
 */
int igt_kprobe_add(struct igt_kprobe_set *ks, const char *name, bool ret,
		   const char *const *symbols);

/* The symbol an event sits on, or NULL if it was not added. */
const char *igt_kprobe_symbol(const struct igt_kprobe_set *ks,
			      const char *name);

/* Consumes and drops what the instance's buffer holds. 0 or -errno. */
int igt_kprobe_clear(struct igt_kprobe_set *ks);

/*
 * Consumes what the instance's buffer holds, as text, NUL-terminated:
 * the hits since the last clear or read. What does not fit in @len stays
 * for the next call. Length or -errno.
 */
ssize_t igt_kprobe_read(struct igt_kprobe_set *ks, char *buf, size_t len);

/* Removes the instance and the events; unmounts what it mounted. */
void igt_kprobe_close(struct igt_kprobe_set *ks);

/* igt_kprobe_close() on every set still open: for exit handlers. */
void igt_kprobe_close_all(void);

#endif /* IGT_KPROBE_H */
