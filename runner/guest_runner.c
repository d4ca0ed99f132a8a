// SPDX-License-Identifier: MIT
/*
 * igt_guest_runner: runs the IGT binaries inside the QEMU guest, one process
 * per subtest, and streams one `IGTVM1 {json}` record per event to a
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
#include <poll.h>
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
#define KMSG_READ_MAX		(64 << 20)

#define EXIT_NO_SUBTESTS	79

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
static int stream_errors;

static int stream_open(const char *path)
{
	int flags = O_WRONLY | O_NOCTTY | O_APPEND | O_CLOEXEC | O_NONBLOCK;
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
	/* blocking writes from here on: a record is written whole or not */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	stream_fd = fd;
	return 0;
}

/*
 * Writes one record and waits until it left the machine (tty) or reached
 * the file, so that a crash right after this call loses nothing.
 */
static void emit(json_object *rec)
{
	size_t len;
	char *line = vm_record_line(rec, &len);
	int ret;

	ret = write_full(stream_fd, line, len);
	if (ret) {
		stream_errors++;
		gr_warn("writing the record stream: %s", strerror(-ret));
	}
	if (stream_is_tty) {
		while (tcdrain(stream_fd) && errno == EINTR)
			;
	} else {
		/* EINVAL on a pipe or char device is fine */
		fsync(stream_fd);
	}
	free(line);
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

/* A progress line for the console (and the console excerpt of a crash). */
static void kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int fd, n;

	/* KERN_NOTICE: shown at the default console loglevel */
	n = snprintf(buf, sizeof(buf), "<5>igt_guest_runner: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';

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

/*
 * /dev/kmsg returns one record per read(), with optional " KEY=value"
 * dictionary lines; a regular file (host tests) returns chunks. Keeping
 * only lines that do not start with a space handles both.
 */
static void kmsg_collect(int fd, struct capture *dmesg)
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
			if (*p != ' ' && nl > p)
				capture_add(dmesg, p, nl + 1 - p);
			p = nl + 1;
		}
		plen -= p - pend;
		memmove(pend, p, plen);
	}
	if (plen && *pend != ' ') {
		capture_add(dmesg, pend, plen);
		capture_add(dmesg, "\n", 1);
	}
	free(pend);
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

static void read_pipe(int *fd, struct capture *c)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(*fd, buf, sizeof(buf));

		if (n > 0) {
			capture_add(c, buf, n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(*fd);
		*fd = -1;
		return;
	}
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

static void run_process(const char *dir, const char *path, char *const argv[],
			const char *label, int timeout, struct run *r)
{
	int outp[2], errp[2];
	double start, deadline, kill_at = 0, giveup_at = 0, drain_until = 0;
	bool exited = false, killed = false;
	int status = 0, idle = 0;
	pid_t pid;

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
	for (;;) {
		struct pollfd pfd[2];
		double now = now_mono();
		int nfds = 0, ret;

		if (!exited) {
			siginfo_t info = { .si_pid = 0 };

			/*
			 * WNOWAIT: the zombie keeps the group id ours until
			 * the leftover helpers are killed below.
			 */
			if (waitid(P_PID, pid, &info,
				   WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    info.si_pid == pid) {
				exited = true;
				r->elapsed = now - start;
				drain_until = now + DRAIN_GRACE_MS / 1000.0;
			}
		}
		if (!exited && timeout > 0 && now >= deadline &&
		    !r->timed_out) {
			r->timed_out = true;
			/*
			 * Like igt_runner: the stacks of the blocked tasks
			 * land in this job's dmesg, to tell a hang in the
			 * kernel from one in the test.
			 */
			kmsg("timeout after %d s in %s, dumping blocked tasks",
			     timeout, label);
			write_file(sysrq_path, "w\n");
			kill(-pid, SIGQUIT);
			kill_at = now + KILL_GRACE;
		}
		if (!exited && r->timed_out && !killed && now >= kill_at) {
			killed = true;
			kill(-pid, SIGKILL);
			giveup_at = now + UNKILLABLE_GRACE;
		}
		if (!exited && killed && now >= giveup_at) {
			/* stuck in the kernel (D state): move on without it */
			r->unkillable = true;
			r->elapsed = now - start;
			break;
		}
		if (exited && ((outp[0] < 0 && errp[0] < 0) ||
			       now >= drain_until))
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
	if (exited)
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
	if (b->listing.sig)
		json_object_object_add(rec, "signal",
				       json_object_new_int(b->listing.sig));
	if (b->listing.timed_out)
		json_object_object_add(rec, "timeout",
				       json_object_new_boolean(1));
	emit(rec);
}

static void emit_result(const char *bin, const char *sub, struct run *r,
			struct capture *dmesg, const char *extra_err)
{
	json_object *rec = record("result");
	size_t len;
	char *buf;
	bool trunc;

	add_str(rec, "test", bin);
	add_str(rec, "subtest", sub);
	json_object_object_add(rec, "exit", json_object_new_int(r->exit_code));
	json_object_object_add(rec, "signal", json_object_new_int(r->sig));
	json_object_object_add(rec, "timeout",
			       json_object_new_boolean(r->timed_out));
	json_object_object_add(rec, "time", json_object_new_double(r->elapsed));

	if (extra_err)
		capture_add(&r->err, extra_err, strlen(extra_err));
	trunc = capture_truncated(&r->out) || capture_truncated(&r->err) ||
		(dmesg && capture_truncated(dmesg));

	buf = capture_get(&r->out, &len);
	add_buf(rec, "out", buf, len);
	free(buf);
	buf = capture_get(&r->err, &len);
	add_buf(rec, "err", buf, len);
	free(buf);
	if (dmesg) {
		buf = capture_get(dmesg, &len);
		add_buf(rec, "dmesg", buf, len);
		free(buf);
	} else {
		add_str(rec, "dmesg", "");
	}
	json_object_object_add(rec, "truncated", json_object_new_boolean(trunc));
	if (r->unkillable)
		json_object_object_add(rec, "unkillable",
				       json_object_new_boolean(1));
	emit(rec);
}

static void emit_start(const char *bin, const char *sub)
{
	json_object *rec = record("start");

	add_str(rec, "test", bin);
	add_str(rec, "subtest", sub);
	json_object_object_add(rec, "time", json_object_new_double(now_epoch()));
	emit(rec);
}

/* Never returns on a kernel with sysrq: the record is already out. */
static void inject_crash(const char *bin, const char *sub)
{
	int ret;

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
	json_object_object_add(rec, "time", json_object_new_double(now_epoch()));
	emit(rec);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s --stream DEV --tests DIR [--resume FILE] "
		"[--inject FILE]\n"
		"       [--timeout SECONDS] [--kmsg PATH] "
		"[--sysrq-trigger PATH]\n"
		"\n"
		"Runs every subtest of the binaries named in DIR/test-list.txt "
		"in its own\n"
		"process and writes IGTVM1 records to DEV "
		"(docs/vm-harness-contract.md).\n"
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
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *stream = NULL, *dir = NULL, *resume = NULL, *inject = NULL;
	char *abs_dir;
	struct jobset done = { }, crash = { };
	struct list names = { };
	struct binary *bins;
	int timeout = DEFAULT_TIMEOUT, c, ret;
	size_t njobs = 0, idx = 0;
	json_object *rec;

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

		for (size_t j = 0; j < b->subtests.n; j++) {
			const char *sub = b->subtests.v[j];
			struct capture dmesg;
			struct run r;
			char *argv_sub[] = { b->path, "--run-subtest",
					     (char *)sub, NULL };
			char *argv_bin[] = { b->path, NULL };
			char label[512];
			int kfd;

			idx++;
			if (jobset_has(&done, b->name, sub))
				continue;

			emit_start(b->name, sub);
			kmsg("start %s %s [%zu/%zu]", b->name, sub, idx, njobs);
			if (jobset_has(&crash, b->name, sub))
				inject_crash(b->name, sub);

			if (b->list_failed) {
				char msg[256];

				/* do not run what could not even list */
				snprintf(msg, sizeof(msg),
					 "igt_guest_runner: --list-subtests "
					 "failed (exit %d%s), %s not run\n",
					 b->listing.exit_code,
					 b->listing.timed_out ? ", timeout" :
					 "", b->name);
				emit_result(b->name, sub, &b->listing, NULL,
					    msg);
				kmsg("end %s %s: listing failed", b->name,
				     sub);
				continue;
			}

			kfd = kmsg_open_at_end();
			capture_init(&dmesg);
			snprintf(label, sizeof(label), "%s %s", b->name, sub);
			run_process(dir, b->path,
				    strcmp(sub, "-") ? argv_sub : argv_bin,
				    label, timeout, &r);
			kmsg_collect(kfd, &dmesg);
			if (kfd >= 0)
				close(kfd);
			emit_result(b->name, sub, &r, &dmesg, NULL);
			kmsg("end %s %s: exit %d%s (%.3fs)", b->name, sub,
			     r.exit_code, r.timed_out ? " timeout" : "",
			     r.elapsed);
			capture_free(&dmesg);
			run_free(&r);
		}
	}

	rec = record("done");
	json_object_object_add(rec, "time", json_object_new_double(now_epoch()));
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
