// SPDX-License-Identifier: MIT
/*
 * igt_guest_runner: runs the IGT binaries inside the QEMU guest, one process
 * per binary for all its subtests (started again after the subtest it died
 * in), and streams one `IGTVM1 {json}` record per event to a
 * dedicated serial port. The host is the only writer of results: this
 * program keeps no state of its own, so a kernel crash at any moment loses
 * nothing that was already drained to the port (see
 * docs/vm-harness-contract.md).
 *
 * Links only against libc and json-c so that it can be copied into a
 * busybox initramfs (dynamically with the libraries ldd names, or static).
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vm_record.h"

#define CAPTURE_MAX		(256 * 1024)
#define CAPTURE_HEAD		(CAPTURE_MAX / 2)
/* room for the "bytes not captured" line that joins head and tail */
#define CAPTURE_TAIL		(CAPTURE_MAX / 2 - 256)
#define DEFAULT_TIMEOUT		120
#define KILL_GRACE		5	/* SIGQUIT -> SIGKILL */
#define UNKILLABLE_GRACE	10	/* SIGKILL -> give up on the child */
#define DRAIN_GRACE_MS		1000	/* pipes held open by grandchildren */
#define TICK_MS			50
#define PIPE_ROOM		(1 << 20)	/* F_SETPIPE_SZ, best effort */
#define BUSY_BYTES		(64 << 10)	/* a drain this big: tick 1 ms */
#define KMSG_READ_MAX		(64 << 20)

#define EXIT_NO_SUBTESTS	79
#define IGT_EXIT_ABORT		112

static const char *kmsg_path = "/dev/kmsg";
static const char *sysrq_path = "/proc/sysrq-trigger";
static const char *argv0 = "igt_guest_runner";

static void gr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void gr_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", argv0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		gr_warn("out of memory");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		gr_warn("out of memory");
		exit(2);
	}
	return d;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_epoch(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_full(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* a non-blocking tty whose buffer is full */
				struct pollfd p = { .fd = fd, .events = POLLOUT };

				poll(&p, 1, 100);
				continue;
			}
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Bounded capture: the first CAPTURE_HEAD bytes and the last CAPTURE_TAIL
 * bytes. IGT prints the start marker at the top and the result marker and
 * failure report at the bottom, so keeping both ends keeps what the host
 * parses even when a test floods its output.
 */
struct capture {
	char *head;
	size_t head_len;
	char *tail;		/* ring buffer */
	size_t tail_pos;
	size_t tail_len;
	size_t total;
};

static void capture_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->head = xrealloc(NULL, CAPTURE_HEAD);
	c->tail = xrealloc(NULL, CAPTURE_TAIL);
}

static void capture_free(struct capture *c)
{
	free(c->head);
	free(c->tail);
	memset(c, 0, sizeof(*c));
}

static void capture_add(struct capture *c, const char *buf, size_t len)
{
	size_t n;

	/* a zeroed capture is an empty one */
	if (!c->head || !c->tail) {
		capture_free(c);
		capture_init(c);
	}
	c->total += len;
	n = CAPTURE_HEAD - c->head_len;
	if (n > len)
		n = len;
	memcpy(c->head + c->head_len, buf, n);
	c->head_len += n;
	buf += n;
	len -= n;

	if (len > CAPTURE_TAIL) {
		buf += len - CAPTURE_TAIL;
		len = CAPTURE_TAIL;
	}
	while (len) {
		n = CAPTURE_TAIL - c->tail_pos;
		if (n > len)
			n = len;
		memcpy(c->tail + c->tail_pos, buf, n);
		c->tail_pos = (c->tail_pos + n) % CAPTURE_TAIL;
		c->tail_len += n;
		if (c->tail_len > CAPTURE_TAIL)
			c->tail_len = CAPTURE_TAIL;
		buf += n;
		len -= n;
	}
}

static bool capture_truncated(const struct capture *c)
{
	return c->total > c->head_len + c->tail_len;
}

/* Returns a malloc'ed buffer of *len bytes (may hold NULs). */
static char *capture_get(const struct capture *c, size_t *len)
{
	size_t start = (c->tail_pos + CAPTURE_TAIL - c->tail_len) % CAPTURE_TAIL;
	size_t head_len = c->head_len, cut;
	char *tail = xrealloc(NULL, c->tail_len + 1), *res, *t;
	size_t tail_len = c->tail_len, first;
	char note[128] = "";
	int nlen = 0;

	first = CAPTURE_TAIL - start;
	if (first > tail_len)
		first = tail_len;
	memcpy(tail, c->tail + start, first);
	memcpy(tail + first, c->tail, tail_len - first);
	t = tail;

	if (capture_truncated(c)) {
		char *nl;

		/* cut on line boundaries so that no marker is split */
		nl = memrchr(c->head, '\n', head_len);
		if (nl)
			head_len = nl + 1 - c->head;
		nl = memchr(t, '\n', tail_len);
		if (nl) {
			tail_len -= nl + 1 - t;
			t = nl + 1;
		}
		cut = c->total - head_len - tail_len;
		nlen = snprintf(note, sizeof(note),
				"[... igt_guest_runner: %zu bytes not captured ...]\n",
				cut);
	}

	res = xrealloc(NULL, head_len + nlen + tail_len + 1);
	memcpy(res, c->head, head_len);
	memcpy(res + head_len, note, nlen);
	memcpy(res + head_len + nlen, t, tail_len);
	*len = head_len + nlen + tail_len;
	res[*len] = '\0';
	free(tail);
	return res;
}

/* The record stream. */
static int stream_fd = -1;
static bool stream_is_tty;
static bool stream_is_file;
static int stream_errors;

static int stream_open(const char *path)
{
	int flags = O_WRONLY | O_NOCTTY | O_APPEND | O_CLOEXEC | O_NONBLOCK;
	struct stat st;
	int fd;

	fd = open(path, flags);
	/* a regular file (host tests, debugging) may not exist yet */
	if (fd < 0 && errno == ENOENT && strncmp(path, "/dev/", 5))
		fd = open(path, flags | O_CREAT, 0644);
	if (fd < 0)
		return -errno;

	if (isatty(fd)) {
		struct termios t;

		stream_is_tty = true;
		if (tcgetattr(fd, &t) == 0) {
			/* no \n -> \r\n, no echo, 8 bits clean */
			cfmakeraw(&t);
			/* ignore modem lines: never block on a missing carrier */
			t.c_cflag |= CLOCAL | CREAD;
			t.c_cflag &= ~CRTSCTS;
			/*
			 * 115200 is the most an 8250 with the standard
			 * 1.8432 MHz clock takes; asking for more makes
			 * the driver fall back to 9600 baud. QEMU does not
			 * pace its UART to the rate anyway.
			 */
			cfsetispeed(&t, B115200);
			cfsetospeed(&t, B115200);
			if (tcsetattr(fd, TCSANOW, &t))
				gr_warn("tcsetattr %s: %s", path, strerror(errno));
		}
	}
	stream_is_file = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	/* blocking writes from here on: a record is written whole or not */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	stream_fd = fd;
	return 0;
}

/*
 * Writes records and waits until they left the machine (tty) or reached
 * the file, so that a crash right after this call loses nothing.
 */
static void stream_write(const char *buf, size_t len)
{
	int ret = write_full(stream_fd, buf, len);

	if (ret) {
		stream_errors++;
		gr_warn("writing the record stream: %s", strerror(-ret));
	}
	/*
	 * A virtio-console port needs nothing more: with ioeventfd=off the
	 * host took the data before write() returned.
	 */
	if (stream_is_tty) {
		while (tcdrain(stream_fd) && errno == EINTR)
			;
	} else if (stream_is_file) {
		fsync(stream_fd);
	}
}

/*
 * A subtest's result and the next one's start leave in one write (each
 * write to the port is a trip to the host): emit_hold() until
 * emit_flush(), which comes before the process may go on.
 */
static struct {
	bool held;
	char *buf;
	size_t len;
} pending;

static void emit_hold(void)
{
	pending.held = true;
}

static void emit_flush(void)
{
	pending.held = false;
	if (pending.len)
		stream_write(pending.buf, pending.len);
	pending.len = 0;
}

static void emit(json_object *rec)
{
	size_t len;
	char *line = vm_record_line(rec, &len);

	if (pending.held) {
		pending.buf = xrealloc(pending.buf, pending.len + len);
		memcpy(pending.buf + pending.len, line, len);
		pending.len += len;
	} else {
		stream_write(line, len);
	}
	free(line);
}

/* Seconds to the millisecond: what results.json keeps, in 17 bytes less. */
static json_object *new_seconds(double s)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.3f", s);
	return json_object_new_double_s(s, buf);
}

static json_object *record(const char *type)
{
	return vm_record_new(type);
}

static void add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val ? val : ""));
}

static void add_buf(json_object *o, const char *key, const char *buf,
		    size_t len)
{
	if (len > INT_MAX)
		len = INT_MAX;
	json_object_object_add(o, key, json_object_new_string_len(buf, len));
}

/* the kept /dev/kmsg descriptor: -2 not decided yet, -1 none */
static int kmsg_fd = -2;

/* printk_devkmsg "on": what one open /dev/kmsg writes is not limited */
static bool devkmsg_unlimited(void)
{
	char buf[16] = "";
	int fd = open("/proc/sys/kernel/printk_devkmsg", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n >= 2 && !strncmp(buf, "on", 2) && (n == 2 || buf[2] == '\n');
}

/* A progress line for the console (and the console excerpt of a crash). */
static void kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int fd, n;

	/*
	 * KERN_NOTICE: shown on a console at loglevel=6, as the guest's is;
	 * a format starting "<6>" (KERN_INFO) stays off the console.
	 */
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>') {
		n = snprintf(buf, sizeof(buf), "<%c>igt_guest_runner: ",
			     fmt[1]);
		fmt += 3;
	} else {
		n = snprintf(buf, sizeof(buf), "<5>igt_guest_runner: ");
	}
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';

	/*
	 * Opened for each line: the kernel rate-limits what one open
	 * /dev/kmsg writes (printk.devkmsg=ratelimit, the default), and a
	 * dropped start line would misplace a crash's console excerpt.
	 * Where that limit is off (the guest's /init turns it off), one
	 * descriptor for all: an open of /dev/kmsg allocates its buffer.
	 */
	if (kmsg_fd == -2)
		kmsg_fd = devkmsg_unlimited() ?
			  open(kmsg_path, O_WRONLY | O_APPEND | O_CLOEXEC |
			       O_NOCTTY) : -1;
	if (kmsg_fd >= 0) {
		write_full(kmsg_fd, buf, n);
		return;
	}
	fd = open(kmsg_path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	write_full(fd, buf, n);
	close(fd);
}

/*
 * Opens the kernel log reader at its current end, before the fork, so the
 * test's dmesg holds exactly what was logged while it ran.
 */
static int kmsg_open_at_end(void)
{
	int fd = open(kmsg_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The runner's own progress lines are not the test's dmesg. */
static bool own_record(const char *rec, size_t len)
{
	static const char me[] = "igt_guest_runner: ";
	const char *semi = memchr(rec, ';', len);

	/* "PRIO,SEQ,USEC,FLAGS;text", or as written: "<N>text" (tests) */
	if (len > 3 && rec[0] == '<' && rec[2] == '>')
		semi = rec + 2;
	return semi && (size_t)(rec + len - semi - 1) >= sizeof(me) - 1 &&
	       !memcmp(semi + 1, me, sizeof(me) - 1);
}

/*
 * /dev/kmsg returns one record per read(), with optional " KEY=value"
 * dictionary lines; a regular file (host tests) returns chunks. Keeping
 * only lines that do not start with a space handles both.
 */
/*
 * Reads every kmsg record logged since the last read and hands each line
 * (one record) to cb, the runner's own lines excepted.
 */
static void kmsg_read(int fd, void (*cb)(void *, const char *, size_t),
		      void *data)
{
	static char buf[16384];
	char *pend = NULL;
	size_t plen = 0, total = 0;

	if (fd < 0)
		return;
	/* a kernel that logs as fast as we read must not stall the run */
	while (total < KMSG_READ_MAX) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		char *p, *nl;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* overwritten records: the next read resyncs */
			if (errno == EPIPE)
				continue;
			break;	/* EAGAIN: the end */
		}
		if (n == 0)
			break;
		total += n;

		pend = xrealloc(pend, plen + n + 1);
		memcpy(pend + plen, buf, n);
		plen += n;
		/* a kmsg record always ends with '\n': flush full lines */
		p = pend;
		while ((nl = memchr(p, '\n', plen - (p - pend)))) {
			if (*p != ' ' && nl > p && !own_record(p, nl - p))
				cb(data, p, nl + 1 - p);
			p = nl + 1;
		}
		plen -= p - pend;
		memmove(pend, p, plen);
	}
	if (plen && *pend != ' ' && !own_record(pend, plen)) {
		pend[plen++] = '\n';
		cb(data, pend, plen);
	}
	free(pend);
}

static void add_to_capture(void *data, const char *line, size_t len)
{
	capture_add(data, line, len);
}

static void kmsg_collect(int fd, struct capture *dmesg)
{
	kmsg_read(fd, add_to_capture, dmesg);
}

struct run {
	struct capture out, err;
	int exit_code;		/* -sig when killed by a signal */
	int sig;
	bool timed_out;
	bool unkillable;
	double elapsed;
};

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_full(fd, s, strlen(s));
	close(fd);
	return ret;
}

/*
 * Hands what a non-blocking pipe holds to @cb, chunk by chunk; closes it
 * (*fd = -1) at EOF or on an error. Returns the bytes read.
 */
static size_t drain_fd(int *fd, void (*cb)(void *, const char *, size_t),
		       void *data)
{
	char buf[65536];
	size_t total = 0;

	for (;;) {
		ssize_t n = read(*fd, buf, sizeof(buf));

		if (n > 0) {
			cb(data, buf, n);
			total += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return total;
		close(*fd);
		*fd = -1;
		return total;
	}
}

static void read_pipe(int *fd, struct capture *c)
{
	drain_fd(fd, add_to_capture, c);
}

static void child_exec(const char *dir, const char *path, char *const argv[],
		       int outfd, int errfd)
{
	sigset_t all;
	int nullfd;

	/* own group, so that a timeout reaches every process of the test */
	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);

	nullfd = open("/dev/null", O_RDONLY);
	if (nullfd >= 0 && nullfd != 0) {
		dup2(nullfd, 0);
		close(nullfd);
	}
	dup2(outfd, 1);
	dup2(errfd, 2);

	/* the markers on stderr too, as igt_runner asks: err can be sliced */
	setenv("IGT_SENTINEL_ON_STDERR", "1", 1);
	/* no escape sequences around the result lines */
	setenv("IGT_PLAIN_OUTPUT", "1", 1);
	/* tests find their data files next to them */
	if (chdir(dir) < 0)
		dprintf(2, "igt_guest_runner: chdir %s: %s\n", dir,
			strerror(errno));

	execv(path, argv);
	dprintf(2, "igt_guest_runner: cannot execute %s: %s\n", path,
		strerror(errno));
	_exit(127);
}

static void reap_orphans(void)
{
	/* when this runner is PID 1 or a subreaper, orphans come back here */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * A test's process group as the runner watches it, in both modes: its
 * exit, seen with WNOWAIT (the zombie keeps the group id ours until the
 * helpers it left are killed), and after a timeout SIGQUIT, SIGKILL
 * KILL_GRACE s later, and giving up UNKILLABLE_GRACE s after that.
 */
struct watch {
	pid_t pid;
	bool exited, timed_out, killed;
	double kill_at, giveup_at, drain_until;
};

/* Whether the process has exited; its pipes get DRAIN_GRACE_MS more. */
static bool watch_exit(struct watch *w, double now)
{
	siginfo_t info = { .si_pid = 0 };

	if (!w->exited &&
	    waitid(P_PID, w->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    info.si_pid == w->pid) {
		w->exited = true;
		w->drain_until = now + DRAIN_GRACE_MS / 1000.0;
	}
	return w->exited;
}

/*
 * The timeout: like igt_runner, the stacks of the blocked tasks land in
 * the job's dmesg, to tell a hang in the kernel from one in the test,
 * then SIGQUIT. @stopped: the group may be stopped (multiple mode stops
 * it between subtests), so it is continued to act on the signal.
 */
static void watch_timeout(struct watch *w, double now, const char *why,
			  bool stopped)
{
	w->timed_out = true;
	kmsg("timeout after %s, dumping blocked tasks", why);
	write_file(sysrq_path, "w\n");
	if (stopped)
		kill(-w->pid, SIGCONT);
	kill(-w->pid, SIGQUIT);
	w->kill_at = now + KILL_GRACE;
}

/* After a timeout: SIGKILL when due; true once the group is given up. */
static bool watch_give_up(struct watch *w, double now)
{
	if (w->exited || !w->timed_out)
		return false;
	if (!w->killed && now >= w->kill_at) {
		w->killed = true;
		kill(-w->pid, SIGKILL);
		w->giveup_at = now + UNKILLABLE_GRACE;
	}
	/* stuck in the kernel (D state): move on without it */
	return w->killed && now >= w->giveup_at;
}

/* Exited, and its pipes closed or their grace over. */
static bool watch_done(const struct watch *w, int out, int err, double now)
{
	return w->exited && ((out < 0 && err < 0) || now >= w->drain_until);
}

static void run_process(const char *dir, const char *path, char *const argv[],
			const char *label, int timeout, struct run *r)
{
	int outp[2], errp[2];
	double start, deadline;
	struct watch w = { };
	int status = 0, idle = 0;
	pid_t pid;
	char why[512];

	memset(r, 0, sizeof(*r));
	capture_init(&r->out);
	capture_init(&r->err);

	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		const char *msg = "igt_guest_runner: pipe failed\n";

		capture_add(&r->err, msg, strlen(msg));
		r->exit_code = 127;
		return;
	}

	start = now_mono();
	pid = fork();
	if (pid == 0)
		child_exec(dir, path, argv, outp[1], errp[1]);
	close(outp[1]);
	close(errp[1]);
	if (pid < 0) {
		char msg[128];

		snprintf(msg, sizeof(msg), "igt_guest_runner: fork: %s\n",
			 strerror(errno));
		capture_add(&r->err, msg, strlen(msg));
		close(outp[0]);
		close(errp[0]);
		r->exit_code = 127;
		return;
	}
	/* both sides, so the group exists before the first kill() */
	setpgid(pid, pid);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);

	deadline = start + timeout;
	w.pid = pid;
	for (;;) {
		struct pollfd pfd[2];
		double now = now_mono();
		int nfds = 0, ret;

		if (!w.exited && watch_exit(&w, now))
			r->elapsed = now - start;
		if (!w.exited && timeout > 0 && now >= deadline &&
		    !w.timed_out) {
			snprintf(why, sizeof(why), "%d s in %s", timeout, label);
			watch_timeout(&w, now, why, false);
		}
		if (watch_give_up(&w, now)) {
			r->unkillable = true;
			r->elapsed = now - start;
			break;
		}
		if (watch_done(&w, outp[0], errp[0], now))
			break;

		if (outp[0] >= 0)
			pfd[nfds++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (errp[0] >= 0)
			pfd[nfds++] = (struct pollfd){ errp[0], POLLIN, 0 };
		/*
		 * The pipes close a moment before the child becomes a
		 * zombie: look again soon rather than a whole tick later.
		 */
		ret = poll(pfd, nfds, nfds || idle++ > 50 ? TICK_MS : 1);
		if (ret < 0 && errno != EINTR)
			usleep(TICK_MS * 1000);
		if (outp[0] >= 0)
			read_pipe(&outp[0], &r->out);
		if (errp[0] >= 0)
			read_pipe(&errp[0], &r->err);
	}
	if (outp[0] >= 0) {
		read_pipe(&outp[0], &r->out);
		/* read_pipe() sets it to -1 at EOF */
		// cppcheck-suppress identicalInnerCondition
		if (outp[0] >= 0)
			close(outp[0]);
	}
	if (errp[0] >= 0) {
		read_pipe(&errp[0], &r->err);
		// cppcheck-suppress identicalInnerCondition
		if (errp[0] >= 0)
			close(errp[0]);
	}
	/* helpers the test left behind must not run into the next test */
	kill(-pid, SIGKILL);
	r->timed_out = w.timed_out;
	if (w.exited)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;

	if (r->unkillable) {
		r->exit_code = -1;
		r->sig = 0;
	} else if (WIFSIGNALED(status)) {
		r->sig = WTERMSIG(status);
		r->exit_code = -r->sig;
	} else {
		r->exit_code = WEXITSTATUS(status);
	}
	reap_orphans();
}

static void run_free(struct run *r)
{
	capture_free(&r->out);
	capture_free(&r->err);
}

/* A set of "BIN SUBTEST" pairs read from the resume or inject file. */
struct jobset {
	char **bin;
	char **sub;
	size_t n;
};

static void jobset_add(struct jobset *s, const char *bin, const char *sub)
{
	s->bin = xrealloc(s->bin, (s->n + 1) * sizeof(*s->bin));
	s->sub = xrealloc(s->sub, (s->n + 1) * sizeof(*s->sub));
	s->bin[s->n] = xstrdup(bin);
	s->sub[s->n] = xstrdup(sub);
	s->n++;
}

static void jobset_free(struct jobset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->bin[i]);
		free(s->sub[i]);
	}
	free(s->bin);
	free(s->sub);
	memset(s, 0, sizeof(*s));
}

static bool jobset_has(const struct jobset *s, const char *bin,
		       const char *sub)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->bin[i], bin) && !strcmp(s->sub[i], sub))
			return true;
	return false;
}

static void jobset_read(struct jobset *s, const char *path)
{
	char line[1024];
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "re");
	if (!f) {
		/* absent: nothing to resume or inject in this boot */
		if (errno != ENOENT)
			gr_warn("%s: %s", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char bin[512], sub[512];

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%511s %511s", bin, sub) == 2)
			jobset_add(s, bin, sub);
	}
	fclose(f);
}

struct list {
	char **v;
	size_t n;
};

static void list_add(struct list *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* IGT's test-list.txt: whitespace tokens, TESTLIST and END skipped. */
static int read_testlist(const char *dir, struct list *bins)
{
	char path[PATH_MAX], tok[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/test-list.txt", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%127s", tok) == 1) {
		if (!strcmp(tok, "TESTLIST") || !strcmp(tok, "END"))
			continue;
		list_add(bins, tok);
	}
	fclose(f);
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

struct binary {
	char *name;
	char *path;
	struct list subtests;	/* "-" alone for a binary without subtests */
	bool list_failed;
	struct run listing;	/* kept to report a failed listing */
};

static void list_binary(const char *dir, struct binary *b, int timeout)
{
	char *argv[] = { b->path, "--list-subtests", NULL };
	json_object *rec, *arr;
	char *out, *line, *save = NULL;
	size_t len;

	run_process(dir, b->path, argv, b->name, timeout, &b->listing);

	rec = record("list");
	add_str(rec, "test", b->name);
	arr = json_object_new_array();
	if (b->listing.exit_code == 0 && !b->listing.timed_out) {
		out = capture_get(&b->listing.out, &len);
		for (line = strtok_r(out, "\r\n", &save); line;
		     line = strtok_r(NULL, "\r\n", &save)) {
			while (isspace((unsigned char)*line))
				line++;
			for (char *e = line + strlen(line);
			     e > line && isspace((unsigned char)e[-1]); )
				*--e = '\0';
			/* anything else is not a name IGT could run */
			if (!valid_name(line))
				continue;
			list_add(&b->subtests, line);
			json_object_array_add(arr,
					      json_object_new_string(line));
		}
		free(out);
	} else {
		list_add(&b->subtests, "-");
		b->list_failed = b->listing.exit_code != EXIT_NO_SUBTESTS ||
				 b->listing.timed_out;
	}
	json_object_object_add(rec, "subtests", arr);
	json_object_object_add(rec, "exit",
			       json_object_new_int(b->listing.exit_code));
	/* a process that only starts and lists: what a start costs */
	json_object_object_add(rec, "time",
			       new_seconds(b->listing.elapsed));
	if (b->listing.sig)
		json_object_object_add(rec, "signal",
				       json_object_new_int(b->listing.sig));
	if (b->listing.timed_out)
		json_object_object_add(rec, "timeout",
				       json_object_new_boolean(1));
	emit(rec);
}

/*
 * A result record carries what results.json needs, once: the fields that
 * hold their default (exit 0, no signal, no timeout, nothing truncated,
 * empty text) are left out, the host reads them as such. end is the
 * process's end when this result ended it, NULL for a subtest that ended
 * with its own result marker while the binary ran on.
 */
static void emit_result(const char *bin, const char *sub,
			const struct capture *out, struct capture *err,
			const struct capture *dmesg, double elapsed,
			const struct run *end, const char *extra_err)
{
	const struct capture *caps[] = { out, err, dmesg };
	static const char *const keys[] = { "out", "err", "dmesg" };
	json_object *rec = record("result");
	bool trunc = false;

	add_str(rec, "test", bin);
	add_str(rec, "subtest", sub);
	if (end && end->exit_code)
		json_object_object_add(rec, "exit",
				       json_object_new_int(end->exit_code));
	if (end && end->sig)
		json_object_object_add(rec, "signal",
				       json_object_new_int(end->sig));
	if (end && end->timed_out)
		json_object_object_add(rec, "timeout",
				       json_object_new_boolean(1));
	if (end && end->unkillable)
		json_object_object_add(rec, "unkillable",
				       json_object_new_boolean(1));
	json_object_object_add(rec, "time", new_seconds(elapsed));

	if (extra_err)
		capture_add(err, extra_err, strlen(extra_err));
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		char *buf;

		if (!caps[i] || !caps[i]->total)
			continue;
		trunc |= capture_truncated(caps[i]);
		buf = capture_get(caps[i], &len);
		add_buf(rec, keys[i], buf, len);
		free(buf);
	}
	if (trunc)
		json_object_object_add(rec, "truncated",
				       json_object_new_boolean(1));
	emit(rec);
}

static void emit_start(const char *bin, const char *sub)
{
	json_object *rec = record("start");

	add_str(rec, "test", bin);
	add_str(rec, "subtest", sub);
	json_object_object_add(rec, "time", new_seconds(now_epoch()));
	emit(rec);
}

/* Never returns on a kernel with sysrq: the record is already out. */
static void inject_crash(const char *bin, const char *sub)
{
	int ret;

	emit_flush();
	kmsg("injecting a kernel crash during %s %s", bin, sub);
	/* only the real trigger needs sysrq enabled; tests pass a file */
	if (!strcmp(sysrq_path, "/proc/sysrq-trigger"))
		write_file("/proc/sys/kernel/sysrq", "1\n");
	sync();
	ret = write_file(sysrq_path, "c\n");
	/*
	 * Still alive: no sysrq here, or a fake trigger. Stop as a crash
	 * would, so the stream has the same shape for the host.
	 */
	kmsg("crash injection did not crash the kernel (%s)",
	     ret ? strerror(-ret) : "no error");
	gr_warn("crash injection returned (%s), stopping",
	      ret ? strerror(-ret) : "no error");
	exit(3);
}

static void emit_boot(void)
{
	json_object *rec = record("boot");
	struct utsname u;
	char cmdline[4096] = "", name[1024];
	FILE *f;

	if (uname(&u) == 0) {
		snprintf(name, sizeof(name), "%s %s %s %s %s", u.sysname,
			 u.nodename, u.release, u.version, u.machine);
		add_str(rec, "uname", name);
		add_str(rec, "release", u.release);
	} else {
		add_str(rec, "uname", "");
		add_str(rec, "release", "");
	}
	f = fopen("/proc/cmdline", "re");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
		cmdline[strcspn(cmdline, "\n")] = '\0';
	}
	add_str(rec, "cmdline", cmdline);
	json_object_object_add(rec, "time", new_seconds(now_epoch()));
	emit(rec);
}

/* A job that is the whole binary: one without subtests, or one whose
 * listing failed (reported, never run). */
static void run_whole(const char *dir, struct binary *b,
		      const struct jobset *done, const struct jobset *crash,
		      size_t idx, size_t njobs, int timeout)
{
	char *argv_bin[] = { b->path, NULL };
	struct capture dmesg;
	struct run r;
	char msg[256];
	int kfd;

	for (size_t j = 0; j < b->subtests.n; j++) {
		const char *sub = b->subtests.v[j];

		if (jobset_has(done, b->name, sub))
			continue;
		emit_start(b->name, sub);
		kmsg("start %s %s [%zu/%zu]", b->name, sub, idx + j + 1, njobs);
		if (jobset_has(crash, b->name, sub))
			inject_crash(b->name, sub);

		if (b->list_failed) {
			/* do not run what could not even list */
			snprintf(msg, sizeof(msg),
				 "igt_guest_runner: --list-subtests failed "
				 "(exit %d%s), %s not run\n",
				 b->listing.exit_code,
				 b->listing.timed_out ? ", timeout" : "",
				 b->name);
			emit_result(b->name, sub, &b->listing.out,
				    &b->listing.err, NULL, b->listing.elapsed,
				    &b->listing, msg);
			kmsg("<6>end %s %s: listing failed", b->name, sub);
			continue;
		}

		kfd = kmsg_open_at_end();
		capture_init(&dmesg);
		run_process(dir, b->path, argv_bin, b->name, timeout, &r);
		kmsg_collect(kfd, &dmesg);
		if (kfd >= 0)
			close(kfd);
		emit_result(b->name, sub, &r.out, &r.err, &dmesg, r.elapsed,
			    &r, NULL);
		kmsg("<6>end %s %s: exit %d%s (%.3fs)", b->name, sub, r.exit_code,
		     r.timed_out ? " timeout" : "", r.elapsed);
		capture_free(&dmesg);
		run_free(&r);
	}
}

/*
 * Multiple mode: one process runs every subtest of a binary that is still
 * to run (igt_runner's --multiple-mode: one --run-subtest with the names
 * joined by commas), and its output is cut into one record per subtest at
 * the markers as they arrive.
 *
 * The record stream keeps the guarantee of one process per subtest: a
 * subtest's start record is out before its process can run any of it, and
 * its result is out before the process runs anything after it. The start
 * record of the next subtest goes out together with the result of the
 * previous one, with the process stopped (SIGSTOP to its group) from the
 * moment its result marker is read until both records are drained; the
 * runner runs SCHED_FIFO in the guest (--realtime) so that it reads each
 * marker before the test, which wrote it, runs on.
 *
 * A process built on this project's core says so on the handshake pipe
 * (IGT_GUEST_SYNC_FDS, core/igt_core.c): from then on, after each
 * subtest's result lines it writes 'r' and waits for the runner's ack,
 * which comes once the result and the next start are out. The runner then
 * reads its pipes at each 'r' and each tick, not at every line, and stops
 * nothing: under TCG each wake of the runner was two context switches, and
 * a run made 15,000-18,000 of them instead of 5,000-6,000.
 *
 * A process that dies (signal, timeout, abort, exit) charges the subtest
 * in progress with its end, as a process of its own would have, and the
 * binary starts again at the next subtest without a result. A process
 * that ends between two subtests having finished some is started again at
 * the first subtest without a result, and only a start that finishes none
 * charges that subtest: every process makes progress.
 */
enum sub_state {
	SUB_TODO,
	SUB_ANNOUNCED,		/* its start record is out */
	SUB_DONE,		/* its result record is out */
};

enum { OUT, ERR, KMSG, NSTREAMS };

struct sub {
	enum sub_state state;
	bool started;		/* its start marker, on stdout */
	bool result[2];		/* its result marker, on stdout, stderr */
	bool has_cap;
	struct capture cap[NSTREAMS];
};

struct line_buf {
	char *buf;
	size_t len;
};

/* a partial line longer than this is text, not a marker */
#define LINE_MAX_PENDING	4096

struct multi {
	const char *dir;
	struct binary *b;
	const struct jobset *crash;
	size_t idx, njobs;
	int timeout;

	struct sub *subs;
	bool *asked;		/* in this process's --run-subtest */
	size_t n;		/* subtests of the binary */
	/*
	 * The subtest whose record is open (announced, no result yet), and
	 * per stream the one its text goes to: each stream is cut at its
	 * own markers (kmsg at the test's "starting subtest" records), so
	 * that a stream read ahead of the others attributes nothing wrong.
	 * n: past the last one.
	 */
	size_t cur;
	size_t pos[NSTREAMS];
	size_t finished;	/* results of this process */
	bool err_markers;	/* it copies its markers to stderr */

	pid_t pid;
	bool alive;
	bool sync;		/* the process said 'h': handshake mode */
	unsigned int acks;	/* its 'r's not answered yet */
	int kfd;
	double deadline;
	double t0;		/* announce of cur */
	struct line_buf lines[2];
};

static ssize_t sub_index(const struct multi *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++) {
		const char *s = m->b->subtests.v[i];

		if (strlen(s) == len && !memcmp(s, name, len))
			return i;
	}
	return -1;
}

/* An asked subtest without a result, by name; -1 for anything else. */
static ssize_t open_sub(const struct multi *m, const char *name, size_t len)
{
	ssize_t i = sub_index(m, name, len);

	if (i < 0 || !m->asked[i] || m->subs[i].state == SUB_DONE)
		return -1;
	return i;
}

static size_t next_asked(const struct multi *m, size_t from)
{
	for (size_t i = from; i < m->n; i++)
		if (m->asked[i] && m->subs[i].state != SUB_DONE)
			return i;
	return m->n;
}

static struct capture *sub_cap(struct multi *m, size_t i, int stream)
{
	struct sub *s = &m->subs[i];

	if (!s->has_cap) {
		for (int k = 0; k < NSTREAMS; k++)
			capture_init(&s->cap[k]);
		s->has_cap = true;
	}
	return &s->cap[stream];
}

static void sub_free_cap(struct sub *s)
{
	if (!s->has_cap)
		return;
	for (int k = 0; k < NSTREAMS; k++)
		capture_free(&s->cap[k]);
	s->has_cap = false;
}

enum marker_kind { MARK_NONE, MARK_START, MARK_RESULT };

/* "Starting subtest: NAME" or "Subtest NAME: RESULT (T)", dynamic ones
 * excluded: they stay inside their subtest's record. */
static enum marker_kind parse_marker(const char *line, size_t len,
				     const char **name, size_t *nlen)
{
	static const char start[] = "Starting subtest: ";
	static const char result[] = "Subtest ";
	const char *p, *end = line + len;

	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	/* the bold wrapper of a tty, should IGT_PLAIN_OUTPUT be ignored */
	if (end - line >= 4 && !memcmp(line, "\x1b[1m", 4))
		line += 4;
	if ((size_t)(end - line) > sizeof(start) - 1 &&
	    !memcmp(line, start, sizeof(start) - 1)) {
		*name = line + sizeof(start) - 1;
		*nlen = end - *name;
		return MARK_START;
	}
	if ((size_t)(end - line) > sizeof(result) - 1 &&
	    !memcmp(line, result, sizeof(result) - 1)) {
		*name = line + sizeof(result) - 1;
		for (p = *name; p < end && *p != ':' && *p != ' '; p++)
			;
		if (p == *name || end - p < 3 || p[0] != ':' || p[1] != ' ')
			return MARK_NONE;
		*nlen = p - *name;
		return MARK_RESULT;
	}
	return MARK_NONE;
}

/* kmsg: the test's "[IGT] BIN: starting subtest NAME" opens a slice. */
static void on_kmsg(void *data, const char *line, size_t len)
{
	static const char needle[] = ": starting subtest ";
	struct multi *m = data;
	const char *p = memmem(line, len, needle, sizeof(needle) - 1);

	if (p) {
		const char *name = p + sizeof(needle) - 1;
		size_t nlen = line + len - name;
		ssize_t i;

		while (nlen && (name[nlen - 1] == '\n' || name[nlen - 1] == '\r'))
			nlen--;
		i = open_sub(m, name, nlen);
		if (i >= 0)
			m->pos[KMSG] = i;
	}
	if (m->pos[KMSG] < m->n && m->subs[m->pos[KMSG]].state != SUB_DONE)
		capture_add(sub_cap(m, m->pos[KMSG], KMSG), line, len);
}

/* The start record of subtest i, before the process can run it. */
static void announce(struct multi *m, size_t i)
{
	const char *sub = m->b->subtests.v[i];

	m->cur = i;
	m->t0 = now_mono();
	m->deadline = m->t0 + m->timeout;
	if (m->subs[i].state != SUB_TODO)
		return;
	m->subs[i].state = SUB_ANNOUNCED;
	emit_start(m->b->name, sub);
	kmsg("start %s %s [%zu/%zu]", m->b->name, sub, m->idx + i + 1,
	     m->njobs);
	if (jobset_has(m->crash, m->b->name, sub))
		inject_crash(m->b->name, sub);
}

/*
 * The result record of cur. end: the process's end when that ended it.
 * Then the start record of the subtest the process runs next, all with
 * the process stopped.
 */
static void finish(struct multi *m, const struct run *end)
{
	size_t i = m->cur;
	struct sub *s = &m->subs[i];
	const char *sub = m->b->subtests.v[i];
	double elapsed = now_mono() - m->t0;
	size_t next;

	/* in handshake mode it waits for the ack, which comes after this */
	if (m->alive && !m->sync)
		kill(-m->pid, SIGSTOP);
	emit_hold();
	kmsg_read(m->kfd, on_kmsg, m);
	sub_cap(m, i, OUT);
	emit_result(m->b->name, sub, &s->cap[OUT], &s->cap[ERR],
		    &s->cap[KMSG], elapsed, end, NULL);
	if (end)
		kmsg("<6>end %s %s: exit %d%s (%.3fs)", m->b->name, sub,
		     end->exit_code, end->timed_out ? " timeout" : "",
		     elapsed);
	else
		kmsg("<6>end %s %s (%.3fs)", m->b->name, sub, elapsed);
	s->state = SUB_DONE;
	sub_free_cap(s);
	m->finished++;
	next = next_asked(m, i + 1);
	m->cur = next;
	/* what the streams still say goes to the next one */
	for (int k = 0; k < NSTREAMS; k++)
		if (m->pos[k] == i)
			m->pos[k] = next;
	if (next < m->n && m->alive)
		announce(m, next);
	emit_flush();
	if (m->alive && !m->sync)
		kill(-m->pid, SIGCONT);
}

/* A stream is past subtest i when its text already goes to a later one. */
static bool past(const struct multi *m, int stream, size_t i)
{
	return m->pos[stream] > i;
}

/*
 * Closes what the markers read so far close: cur has its result on
 * stdout (or stdout moved on) and on stderr (or stderr moved on). A
 * subtest both streams passed without a word stays to run.
 */
static void try_finish(struct multi *m)
{
	while (m->cur < m->n) {
		struct sub *s = &m->subs[m->cur];
		bool out = s->result[OUT] || past(m, OUT, m->cur);
		bool err = s->result[ERR] || past(m, ERR, m->cur) ||
			   !m->err_markers;

		if (!out || !err)
			return;
		if (s->started || s->result[OUT] || s->result[ERR]) {
			finish(m, NULL);
			continue;
		}
		/* passed over: a later process runs it */
		s->state = SUB_TODO;
		sub_free_cap(s);
		m->asked[m->cur] = false;
		m->cur = next_asked(m, m->cur + 1);
		if (m->cur < m->n && m->alive) {
			kill(-m->pid, SIGSTOP);
			announce(m, m->cur);
			kill(-m->pid, SIGCONT);
		}
	}
}

static void on_line(struct multi *m, int stream, const char *line,
		    size_t len)
{
	enum marker_kind k;
	const char *name;
	size_t nlen;
	ssize_t i = -1;

	k = parse_marker(line, len, &name, &nlen);
	if (k != MARK_NONE)
		i = open_sub(m, name, nlen);
	if (i >= 0 && (size_t)i >= m->cur) {
		m->pos[stream] = i;
		m->deadline = now_mono() + m->timeout;
	}
	if (m->pos[stream] < m->n &&
	    m->subs[m->pos[stream]].state != SUB_DONE)
		capture_add(sub_cap(m, m->pos[stream], stream), line, len);
	if (i < 0 || (size_t)i < m->cur)
		return;
	if (stream == ERR)
		m->err_markers = true;
	if (k == MARK_START && stream == OUT)
		m->subs[i].started = true;
	if (k == MARK_RESULT) {
		m->subs[i].result[stream] = true;
		/* text after a result goes to the next subtest */
		m->pos[stream] = next_asked(m, i + 1);
	}
}

/* Complete lines go to on_line(); a partial one waits for its end. */
static void feed(struct multi *m, int stream, const char *buf, size_t n)
{
	struct line_buf *l = &m->lines[stream];
	size_t pos = 0;

	l->buf = xrealloc(l->buf, l->len + n);
	memcpy(l->buf + l->len, buf, n);
	l->len += n;
	while (pos < l->len) {
		char *nl = memchr(l->buf + pos, '\n', l->len - pos);
		size_t end;

		if (!nl) {
			if (l->len - pos < LINE_MAX_PENDING)
				break;
			end = l->len;
		} else {
			end = nl + 1 - l->buf;
		}
		on_line(m, stream, l->buf + pos, end - pos);
		pos = end;
	}
	memmove(l->buf, l->buf + pos, l->len - pos);
	l->len -= pos;
}

static void feed_rest(struct multi *m)
{
	for (int s = 0; s < 2; s++) {
		struct line_buf *l = &m->lines[s];

		if (l->len)
			on_line(m, s, l->buf, l->len);
		free(l->buf);
		l->buf = NULL;
		l->len = 0;
	}
}

static void feed_out(void *m, const char *buf, size_t n)
{
	feed(m, OUT, buf, n);
}

static void feed_err(void *m, const char *buf, size_t n)
{
	feed(m, ERR, buf, n);
}

/* What a pipe holds, to the lines of @stream. Returns the bytes read. */
static size_t drain_pipe(struct multi *m, int *fd, int stream)
{
	return drain_fd(fd, stream == OUT ? feed_out : feed_err, m);
}

/*
 * The handshake pipe: 'h' (the process speaks it), 'r' (a subtest's
 * result lines are out, it waits for an ack).
 */
static void on_sync(void *data, const char *buf, size_t n)
{
	struct multi *m = data;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == 'h' || buf[i] == 'r')
			m->sync = true;
		if (buf[i] == 'r')
			m->acks++;
	}
}

/*
 * At the pipe's end the process is gone or gave the handshake up: the
 * lines alone from then on.
 */
static void read_sync(struct multi *m, int *fd)
{
	drain_fd(fd, on_sync, m);
	if (*fd < 0)
		m->sync = false;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

/* After the process: who its end belongs to. */
static void charge_end(struct multi *m, struct run *end)
{
	struct sub *s;

	if (m->cur >= m->n)
		return;
	s = &m->subs[m->cur];
	if (s->result[OUT] || s->result[ERR]) {
		/* its result is in, the other stream's copy never came */
		finish(m, NULL);
	} else if (s->started || end->timed_out || end->sig ||
		   end->unkillable || end->exit_code == IGT_EXIT_ABORT ||
		   (!m->finished && end->exit_code)) {
		/* the process died in it, or before it */
		finish(m, end);
	} else if (!m->finished) {
		/*
		 * A clean exit that never reached it, the second time
		 * (a first process finished others): not run, exit -1 as
		 * in igt_runner's journal.
		 */
		char msg[256];

		snprintf(msg, sizeof(msg), "igt_guest_runner: %s exited 0 "
			 "without running %s\n", m->b->name,
			 m->b->subtests.v[m->cur]);
		capture_add(sub_cap(m, m->cur, ERR), msg, strlen(msg));
		end->exit_code = -1;
		finish(m, end);
	} else {
		/* ended between subtests: the next process runs it */
		s->state = SUB_TODO;
	}
}

/* One process of the binary for the subtests m->asked names. */
static void run_multi_process(struct multi *m)
{
	struct binary *b = m->b;
	struct { char *s; size_t len; } arg = { NULL, 0 };
	char *argv[4] = { b->path, "--run-subtest", NULL, NULL };
	double start, next_wait = 0;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, status = 0, idle = 0;
	int syncp[2] = { -1, -1 }, ackp[2] = { -1, -1 };
	bool busy = false;
	struct watch w = { };
	struct run end = { };
	char why[512];
	size_t nasked = 0;

	for (size_t i = 0; i < m->n; i++) {
		size_t n;

		if (!m->asked[i])
			continue;
		nasked++;
		n = strlen(b->subtests.v[i]);
		arg.s = xrealloc(arg.s, arg.len + n + 2);
		if (arg.len)
			arg.s[arg.len++] = ',';
		memcpy(arg.s + arg.len, b->subtests.v[i], n + 1);
		arg.len += n;
	}
	argv[2] = arg.s;

	m->finished = 0;
	m->err_markers = false;
	m->alive = false;
	m->sync = false;
	m->acks = 0;
	m->cur = next_asked(m, 0);
	for (int k = 0; k < NSTREAMS; k++)
		m->pos[k] = m->cur;
	kmsg("exec %s: %zu subtest(s) from %s", b->name, nasked,
	     b->subtests.v[m->cur]);
	announce(m, m->cur);

	m->kfd = kmsg_open_at_end();
	start = now_mono();
	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		const char *msg = "igt_guest_runner: pipe failed\n";

		capture_add(sub_cap(m, m->cur, ERR), msg, strlen(msg));
		end.exit_code = 127;
		finish(m, &end);
		goto out;
	}
	/* room for what a subtest prints while the runner is not reading */
	fcntl(outp[1], F_SETPIPE_SZ, PIPE_ROOM);
	fcntl(errp[1], F_SETPIPE_SZ, PIPE_ROOM);
	/* the handshake is optional: without its pipes, the lines alone */
	if (pipe2(syncp, O_CLOEXEC) || pipe2(ackp, O_CLOEXEC)) {
		close_pair(syncp);
		close_pair(ackp);
	}
	m->pid = fork();
	if (m->pid == 0) {
		if (syncp[1] > STDERR_FILENO && ackp[0] > STDERR_FILENO &&
		    !fcntl(syncp[1], F_SETFD, 0) && !fcntl(ackp[0], F_SETFD, 0)) {
			char fds[32];

			snprintf(fds, sizeof(fds), "%d,%d", syncp[1], ackp[0]);
			setenv("IGT_GUEST_SYNC_FDS", fds, 1);
		}
		child_exec(m->dir, b->path, argv, outp[1], errp[1]);
	}
	close(outp[1]);
	close(errp[1]);
	if (syncp[1] >= 0)
		close(syncp[1]);
	if (ackp[0] >= 0)
		close(ackp[0]);
	syncp[1] = ackp[0] = -1;
	if (m->pid < 0) {
		char msg[128];

		snprintf(msg, sizeof(msg), "igt_guest_runner: fork: %s\n",
			 strerror(errno));
		capture_add(sub_cap(m, m->cur, ERR), msg, strlen(msg));
		end.exit_code = 127;
		finish(m, &end);
		goto out;
	}
	setpgid(m->pid, m->pid);
	w.pid = m->pid;
	m->alive = true;
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	if (syncp[0] >= 0)
		fcntl(syncp[0], F_SETFL, O_NONBLOCK);

	for (;;) {
		struct pollfd pfd[3];	/* stdout, stderr, the handshake */
		double now = now_mono();
		int nfds = 0, ret;

		/*
		 * The pipes' end says the process is ending; a helper that
		 * keeps them open is seen at the next tick. Not a waitid()
		 * per line of output: under TCG a system call is dear.
		 */
		if (!w.exited && (outp[0] < 0 || errp[0] < 0 ||
				  now >= next_wait)) {
			next_wait = now + TICK_MS / 1000.0;
			if (watch_exit(&w, now))
				m->alive = false;
		}
		if (!w.exited && now >= m->deadline && !w.timed_out) {
			/* the blocked tasks' stacks: the hung subtest's dmesg */
			snprintf(why, sizeof(why), "%d s in %s %s", m->timeout,
				 b->name, m->cur < m->n ? b->subtests.v[m->cur] :
				 "(after the last subtest)");
			watch_timeout(&w, now, why, true);
		}
		if (watch_give_up(&w, now)) {
			end.unkillable = true;
			m->alive = false;
			break;
		}
		if (watch_done(&w, outp[0], errp[0], now))
			break;

		/*
		 * In handshake mode the pipes are read when the process
		 * waits for an ack, and at each tick (each millisecond while
		 * they fill up): not at every line it writes.
		 */
		if (outp[0] >= 0 && !m->sync)
			pfd[nfds++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (errp[0] >= 0 && !m->sync)
			pfd[nfds++] = (struct pollfd){ errp[0], POLLIN, 0 };
		if (syncp[0] >= 0)
			pfd[nfds++] = (struct pollfd){ syncp[0], POLLIN, 0 };
		ret = poll(pfd, nfds, m->sync && busy ? 1 :
			   nfds || idle++ > 50 ? TICK_MS : 1);
		if (ret < 0 && errno != EINTR)
			usleep(TICK_MS * 1000);
		if (ret == 0)
			next_wait = 0;	/* quiet: look at the process now */
		/*
		 * The handshake first: the lines of the result an 'r' stands
		 * for were written before it, so the pipes read next hold
		 * them.
		 */
		if (syncp[0] >= 0)
			read_sync(m, &syncp[0]);
		/*
		 * Both pipes whenever either has something, stdout first,
		 * then what their markers close. IGT writes the stderr copy
		 * of a start marker before the subtest's result on stdout,
		 * but possibly after poll() looked: reading stderr after
		 * stdout finds it whenever the result was found, and no
		 * subtest is closed without its stderr.
		 */
		if (ret != 0 || m->sync) {
			size_t n = 0;

			if (outp[0] >= 0)
				n += drain_pipe(m, &outp[0], OUT);
			if (errp[0] >= 0)
				n += drain_pipe(m, &errp[0], ERR);
			busy = n >= BUSY_BYTES;
		}
		try_finish(m);
		/* its records are out: the process may go on */
		for (; m->acks && ackp[1] >= 0; m->acks--) {
			if (write(ackp[1], "a", 1) != 1)
				close_pair(ackp);
		}
		m->acks = 0;
	}
	m->alive = false;
	if (outp[0] >= 0)
		drain_pipe(m, &outp[0], OUT);
	if (errp[0] >= 0)
		drain_pipe(m, &errp[0], ERR);
	feed_rest(m);
	try_finish(m);
	/* helpers the test left behind must not run into the next process */
	kill(-m->pid, SIGKILL);
	kill(-m->pid, SIGCONT);
	end.timed_out = w.timed_out;
	if (w.exited)
		while (waitpid(m->pid, &status, 0) < 0 && errno == EINTR)
			;
	if (end.unkillable) {
		end.exit_code = -1;
	} else if (WIFSIGNALED(status)) {
		end.sig = WTERMSIG(status);
		end.exit_code = -end.sig;
	} else {
		end.exit_code = WEXITSTATUS(status);
	}
	end.elapsed = now_mono() - start;
	charge_end(m, &end);
	reap_orphans();
out:
	if (outp[0] >= 0)
		close(outp[0]);
	if (errp[0] >= 0)
		close(errp[0]);
	close_pair(syncp);
	close_pair(ackp);
	m->sync = false;
	if (m->kfd >= 0)
		close(m->kfd);
	m->kfd = -1;
	for (size_t i = 0; i < m->n; i++)
		sub_free_cap(&m->subs[i]);
	free(arg.s);
}

static void run_binary(const char *dir, struct binary *b,
		       const struct jobset *done, const struct jobset *crash,
		       size_t idx, size_t njobs, int timeout)
{
	/*
	 * Static: what it holds stays reachable when a crash injection
	 * ends the runner in the middle of it (no leak to report).
	 */
	static struct multi m;

	m = (struct multi){
		.dir = dir, .b = b, .crash = crash, .idx = idx,
		.njobs = njobs, .timeout = timeout, .kfd = -1,
		.n = b->subtests.n,
	};
	m.subs = xrealloc(NULL, m.n * sizeof(*m.subs));
	m.asked = xrealloc(NULL, m.n * sizeof(*m.asked));
	for (size_t i = 0; i < m.n; i++)
		m.subs[i] = (struct sub){
			.state = jobset_has(done, b->name, b->subtests.v[i]) ?
				 SUB_DONE : SUB_TODO,
		};

	for (;;) {
		bool any = false;

		for (size_t i = 0; i < m.n; i++) {
			struct sub *s = &m.subs[i];

			m.asked[i] = s->state != SUB_DONE;
			s->started = s->result[OUT] = s->result[ERR] = false;
			any |= m.asked[i];
		}
		if (!any)
			break;
		run_multi_process(&m);
	}
	free(m.subs);
	free(m.asked);
	m.subs = NULL;
	m.asked = NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s --stream DEV --tests DIR [--resume FILE] "
		"[--inject FILE]\n"
		"       [--timeout SECONDS] [--kmsg PATH] "
		"[--sysrq-trigger PATH] [--realtime]\n"
		"\n"
		"Runs the subtests of the binaries named in DIR/test-list.txt, "
		"one process per\n"
		"binary (again after a death, from the next subtest), and "
		"writes IGTVM1 records\n"
		"to DEV (docs/vm-harness-contract.md). --realtime: SCHED_FIFO "
		"(in the guest).\n"
		"--kmsg and --sysrq-trigger replace /dev/kmsg and "
		"/proc/sysrq-trigger (tests).\n",
		argv0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stream", required_argument, NULL, 's' },
		{ "tests", required_argument, NULL, 't' },
		{ "resume", required_argument, NULL, 'r' },
		{ "inject", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "kmsg", required_argument, NULL, 'k' },
		{ "sysrq-trigger", required_argument, NULL, 'q' },
		{ "realtime", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *stream = NULL, *dir = NULL, *resume = NULL, *inject = NULL;
	char *abs_dir;
	struct jobset done = { }, crash = { };
	struct list names = { };
	struct binary *bins;
	int timeout = DEFAULT_TIMEOUT, c, ret;
	bool realtime = false;
	size_t njobs = 0, idx = 0;
	json_object *rec;

	/*
	 * Keep freed memory: each subtest's captures and records would
	 * otherwise go back to the kernel (brk, munmap) and come back as
	 * freshly zeroed pages, a cost that shows under TCG.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	argv0 = argv[0] && strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
		(argv[0] ? argv[0] : argv0);

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			stream = optarg;
			break;
		case 't':
			dir = optarg;
			break;
		case 'r':
			resume = optarg;
			break;
		case 'i':
			inject = optarg;
			break;
		case 'T':
			timeout = atoi(optarg);
			if (timeout <= 0) {
				gr_warn("bad --timeout %s", optarg);
				return 2;
			}
			break;
		case 'k':
			kmsg_path = optarg;
			break;
		case 'q':
			sysrq_path = optarg;
			break;
		case 'R':
			realtime = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!stream || !dir || optind != argc) {
		usage(stderr);
		return 2;
	}
	/* children run in DIR: their paths must not depend on our cwd */
	abs_dir = realpath(dir, NULL);
	if (abs_dir)
		dir = abs_dir;

	/* a dead reader of a pipe must not kill the runner */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);

	if (realtime) {
		/*
		 * Above every test on the guest's one CPU: a marker the test
		 * writes wakes the runner before the test runs on (see
		 * run_binary()); the tests themselves start SCHED_OTHER.
		 */
		struct sched_param sp = { .sched_priority = 1 };

		if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			gr_warn("--realtime: %s", strerror(errno));
	}

	ret = stream_open(stream);
	if (ret) {
		gr_warn("cannot open the stream %s: %s", stream, strerror(-ret));
		kmsg("cannot open the stream %s: %s", stream, strerror(-ret));
		return 2;
	}

	emit_boot();
	jobset_read(&done, resume);
	jobset_read(&crash, inject);

	ret = read_testlist(dir, &names);
	if (ret) {
		gr_warn("%s/test-list.txt: %s", dir, strerror(-ret));
		kmsg("no test list in %s: %s", dir, strerror(-ret));
	}

	/* list everything first: the host learns every job, even unrun ones */
	bins = xrealloc(NULL, (names.n + 1) * sizeof(*bins));
	for (size_t i = 0; i < names.n; i++) {
		struct binary *b = &bins[i];
		size_t plen = strlen(dir) + strlen(names.v[i]) + 2;

		memset(b, 0, sizeof(*b));
		b->name = names.v[i];
		b->path = xrealloc(NULL, plen);
		snprintf(b->path, plen, "%s/%s", dir, b->name);
		list_binary(dir, b, timeout);
		njobs += b->subtests.n;
	}
	kmsg("%zu binaries, %zu jobs, %zu resumed, timeout %d s",
	     names.n, njobs, done.n, timeout);

	for (size_t i = 0; i < names.n; i++) {
		struct binary *b = &bins[i];

		if (b->list_failed || !strcmp(b->subtests.v[0], "-"))
			run_whole(dir, b, &done, &crash, idx, njobs, timeout);
		else
			run_binary(dir, b, &done, &crash, idx, njobs, timeout);
		idx += b->subtests.n;
	}

	rec = record("done");
	json_object_object_add(rec, "time", new_seconds(now_epoch()));
	emit(rec);
	kmsg("done");

	/* nothing depends on it, but a leak check must see a clean exit */
	for (size_t i = 0; i < names.n; i++) {
		free(bins[i].path);
		list_free(&bins[i].subtests);
		run_free(&bins[i].listing);
	}
	free(bins);
	list_free(&names);
	jobset_free(&done);
	jobset_free(&crash);
	free(abs_dir);

	return stream_errors ? 1 : 0;
}
