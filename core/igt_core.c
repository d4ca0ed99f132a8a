// SPDX-License-Identifier: MIT
/*
 * Minimal implementation of the IGT 2.0 test-binary protocol: subtests,
 * fixtures, dynamic subtests, logging, exit codes and /dev/kmsg markers.
 *
 * Written from the protocol description in the project notes; upstream
 * IGT's lib/igt_core.c replaces this file when the tests are built inside
 * IGT.  See core/README.md for the list of deviations.
 */

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* as upstream builds each lib file: its messages carry "igt_core-" */
#define IGT_LOG_DOMAIN "igt_core"

#include "igt_core.h"
#include "igt_core_fuzz.h"
#include "igt_hook.h"

#ifndef IGT_CORE_VERSION
#define IGT_CORE_VERSION "2.0-core"
#endif
#ifndef IGT_CORE_CPU
#define IGT_CORE_CPU "x86_64"
#endif

#define LOG_RING_SIZE	256
#define DESC_MAX	4096

enum skip_mode {
	CONTINUE = 0,
	SKIP_REST,
	FAIL_REST,
};

/* public state */
enum igt_log_level igt_log_level = IGT_LOG_INFO;
const char *igt_log_domain_filter;
bool __igt_plain_output;
sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;

/* command line */
static const char *command_str;
static bool test_with_subtests;
static bool list_subtests;
static bool show_testlist;
static bool describe_subtests;
static char *run_single_subtest;
static bool run_single_subtest_found;
static char *run_single_dynamic_subtest;
static bool stderr_needs_sentinel;
/* the guest runner's handshake (IGT_GUEST_SYNC_FDS): write, ack ends */
static int guest_sync_w = -1, guest_sync_r = -1;
static pid_t guest_sync_pid;	/* a forked child never speaks it */

/* execution state */
static bool in_fixture;
static const char *in_subtest;
static const char *in_dynamic_subtest;
static enum skip_mode skip_subtests_henceforth;
static bool skipped_one, succeeded_one, failed_one;
static bool dynamic_failed_one;
static int dynamic_tests_executed = -1;
static int igt_exitcode = IGT_EXIT_SUCCESS;
static struct timespec subtest_time, dynamic_subtest_time;
static bool exit_called;
static volatile bool in_atexit_handler;

/* descriptions */
static char current_description[DESC_MAX];
static char **group_descriptions;
static int group_desc_count;

/* log ring */
static char *log_ring[LOG_RING_SIZE];
static unsigned int log_ring_start, log_ring_len;
static __thread bool log_continuation;

/* exit handlers */
#define MAX_EXIT_HANDLERS 10
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static int exit_handler_count;
static bool handlers_installed;

static void print_backtrace(void);

static void internal_error(const char *msg)
{
	fprintf(stderr, "%s", msg);
	fprintf(stderr, "please refer to lib/igt_core documentation\n");
	abort();
}

const char *igt_test_name(void)
{
	return command_str;
}

const char *igt_subtest_name(void)
{
	return in_subtest;
}

const char *igt_dynamic_subtest_name(void)
{
	return in_dynamic_subtest;
}

bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist;
}

bool igt_can_fail(void)
{
	return !test_with_subtests || in_fixture || in_subtest;
}

/* ---- time ---- */

int igt_gettime(struct timespec *ts)
{
	static clockid_t clk = (clockid_t)-1;

	memset(ts, 0, sizeof(*ts));
	if (clk != (clockid_t)-1)
		return clock_gettime(clk, ts) ? -errno : 0;

	clk = CLOCK_MONOTONIC_RAW;
	if (!clock_gettime(clk, ts))
		return 0;
	clk = CLOCK_MONOTONIC;
	return clock_gettime(clk, ts) ? -errno : 0;
}

double igt_time_elapsed(struct timespec *then, struct timespec *now)
{
	if (!(then->tv_sec || then->tv_nsec) || !(now->tv_sec || now->tv_nsec))
		return -1.0;

	return (now->tv_sec - then->tv_sec) +
		(now->tv_nsec - then->tv_nsec) * 1e-9;
}

uint64_t igt_nsec_elapsed(struct timespec *start)
{
	struct timespec now;

	igt_gettime(&now);
	if (!start->tv_sec && !start->tv_nsec) {
		*start = now;
		return 0;
	}

	return (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000ull +
		(now.tv_nsec - start->tv_nsec);
}

/* ---- kmsg ---- */

/*
 * The kernel rate-limits what one open /dev/kmsg writes (printk.devkmsg=
 * ratelimit, the default): a file per message, as upstream. Where that
 * limit is off (printk_devkmsg "on", as igt_guest_runner's guests have
 * it), one descriptor for all: each open allocates the reader's buffer.
 * -2: not decided yet, -1: none.
 */
static int kmsg_fd = -2;

static int kmsg_keep_fd(void)
{
	char buf[16] = "";
	int fd = open("/proc/sys/kernel/printk_devkmsg", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 2 || strncmp(buf, "on", 2) || (n > 2 && buf[2] != '\n'))
		return -1;
	return open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

void igt_kmsg(const char *format, ...)
{
	int saved = errno;
	char line[1024];
	va_list ap;
	ssize_t w;
	FILE *f;
	int n;

	if (kmsg_fd == -2)
		kmsg_fd = kmsg_keep_fd();
	if (kmsg_fd >= 0) {
		/* one write, one record; the kernel keeps no more of it */
		va_start(ap, format);
		n = vsnprintf(line, sizeof(line), format, ap);
		va_end(ap);
		if (n > (int)sizeof(line) - 1)
			n = sizeof(line) - 1;
		/* a record the kernel refuses is lost, as with fopen() */
		w = n > 0 ? write(kmsg_fd, line, n) : 0;
		(void)w;
		errno = saved;
		return;
	}
	f = fopen("/dev/kmsg", "w");
	if (f) {
		va_start(ap, format);
		vfprintf(f, format, ap);
		va_end(ap);
		fclose(f);
	}
	errno = saved;
}

/* ---- logging ---- */

static void log_ring_reset(void)
{
	log_ring_start = 0;
	log_ring_len = 0;
}

static void log_ring_append(char *line)
{
	unsigned int slot;

	if (log_ring_len == LOG_RING_SIZE) {
		slot = log_ring_start;
		log_ring_start = (log_ring_start + 1) % LOG_RING_SIZE;
	} else {
		slot = (log_ring_start + log_ring_len) % LOG_RING_SIZE;
		log_ring_len++;
	}
	free(log_ring[slot]);
	log_ring[slot] = line;
}

static void log_ring_dump(void)
{
	unsigned int i;

	if (in_subtest && !in_dynamic_subtest && dynamic_tests_executed >= 0) {
		/*
		 * A dynamic container failing because of a failed child: the
		 * child already dumped its log, don't repeat it.
		 */
		log_ring_reset();
		return;
	}

	if (in_dynamic_subtest)
		fprintf(stderr, "Dynamic subtest %s failed.\n",
			in_dynamic_subtest);
	else if (in_subtest)
		fprintf(stderr, "Subtest %s failed.\n", in_subtest);
	else
		fprintf(stderr, "Test %s failed.\n", command_str);

	if (!log_ring_len) {
		fprintf(stderr, "No log.\n");
		fflush(stderr);
		return;
	}

	fprintf(stderr, "**** DEBUG ****\n");
	for (i = 0; i < log_ring_len; i++)
		fprintf(stderr, "%s",
			log_ring[(log_ring_start + i) % LOG_RING_SIZE]);
	fprintf(stderr, "****  END  ****\n");
	fflush(stderr);
	log_ring_reset();
}

void igt_vlog(const char *domain, enum igt_log_level level,
	      const char *format, va_list args)
{
	static const char * const level_str[] = {
		"DEBUG", "INFO", "WARNING", "CRITICAL", "NONE"
	};
	int saved = errno;
	char *line = NULL, *formatted = NULL;
	size_t len;
	FILE *out;

	if (igt_only_list_subtests() && level <= IGT_LOG_WARN)
		goto out;
	if (level < IGT_LOG_DEBUG || level > IGT_LOG_NONE)
		level = IGT_LOG_NONE;

	if (vasprintf(&line, format, args) < 0) {
		line = NULL;
		goto out;
	}

	if (log_continuation) {
		formatted = strdup(line);
	} else if (asprintf(&formatted, "(%s:%d) %s%s%s: %s",
			    program_invocation_short_name, getpid(),
			    domain ? domain : "", domain ? "-" : "",
			    level_str[level], line) < 0) {
		formatted = NULL;
	}
	if (!formatted)
		goto out;

	len = strlen(line);
	log_continuation = len && line[len - 1] != '\n';

	log_ring_append(formatted);

	if (igt_log_level > level)
		goto out;

	if (igt_log_domain_filter) {
		if (!domain && strcmp(igt_log_domain_filter, "application"))
			goto out;
		if (domain && strcmp(igt_log_domain_filter, domain))
			goto out;
	}

	out = level >= IGT_LOG_WARN ? stderr : stdout;
	fputs(level == IGT_LOG_INFO ? line : formatted, out);
	fflush(out);

out:
	free(line);
	errno = saved;
}

void igt_log(const char *domain, enum igt_log_level level,
	     const char *format, ...)
{
	va_list args;

	va_start(args, format);
	igt_vlog(domain, level, format, args);
	va_end(args);
}

/* ---- backtraces ---- */

static void format_frame(char *buf, size_t size, int n, void *addr)
{
	Dl_info info;

	if (dladdr(addr, &info) && info.dli_sname)
		snprintf(buf, size, "  #%d [%s+0x%x]\n", n, info.dli_sname,
			 (unsigned int)((char *)addr - (char *)info.dli_saddr));
	else if (dladdr(addr, &info) && info.dli_fname)
		snprintf(buf, size, "  #%d [%s+0x%x]\n", n, info.dli_fname,
			 (unsigned int)((char *)addr - (char *)info.dli_fbase));
	else
		snprintf(buf, size, "  #%d [<unknown>+0x%x]\n", n,
			 (unsigned int)(uintptr_t)addr);
}

static void print_backtrace(void)
{
	void *frames[64];
	char buf[512];
	int n, i;

	n = backtrace(frames, 64);
	igt_info("Stack trace:\n");
	for (i = 1; i < n; i++) {
		format_frame(buf, sizeof(buf), i - 1, frames[i]);
		igt_info("%s", buf);
	}
}

static void write_stderr(const char *s)
{
	ssize_t r = write(STDERR_FILENO, s, strlen(s));

	(void)r;
}

static void print_backtrace_sig_safe(void)
{
	void *frames[64];
	char buf[512];
	int n, i;

	write_stderr("Stack trace: \n");
	n = backtrace(frames, 64);
	for (i = 1; i < n; i++) {
		format_frame(buf, sizeof(buf), i - 1, frames[i]);
		write_stderr(buf + 1);
	}
}

/* ---- the guest runner's handshake ---- */

static void guest_sync_off(void)
{
	if (guest_sync_w >= 0)
		close(guest_sync_w);
	if (guest_sync_r >= 0)
		close(guest_sync_r);
	guest_sync_w = guest_sync_r = -1;
}

/*
 * IGT_GUEST_SYNC_FDS=W,R (igt_guest_runner, one process for many
 * subtests): 'h' on W at start; after each subtest's result lines, 'r' on
 * W, then wait for the runner's byte on R. The runner records the result
 * and the next subtest's start while this process waits, instead of
 * reading every line the moment it is written and stopping the process at
 * each result: the same guarantee, two context switches per subtest
 * instead of two per write. Any failure ends the handshake for good.
 */
static void guest_sync_init(void)
{
	const char *env = getenv("IGT_GUEST_SYNC_FDS");
	int w, r;

	if (!env)
		return;
	unsetenv("IGT_GUEST_SYNC_FDS");
	if (sscanf(env, "%d,%d", &w, &r) != 2 || w <= STDERR_FILENO ||
	    r <= STDERR_FILENO || w == r || fcntl(w, F_SETFD, FD_CLOEXEC) ||
	    fcntl(r, F_SETFD, FD_CLOEXEC))
		return;
	guest_sync_w = w;
	guest_sync_r = r;
	guest_sync_pid = getpid();
	if (write(guest_sync_w, "h", 1) != 1)
		guest_sync_off();
}

static void guest_sync_result(void)
{
	ssize_t n;
	char ack;

	if (guest_sync_w < 0 || getpid() != guest_sync_pid)
		return;
	if (write(guest_sync_w, "r", 1) != 1) {
		guest_sync_off();
		return;
	}
	do
		n = read(guest_sync_r, &ack, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		guest_sync_off();
}

/* ---- subtest bookkeeping ---- */

static void result_message(bool dynamic, const char *name, const char *result,
			   double elapsed)
{
	const char *kind = dynamic ? "Dynamic subtest" : "Subtest";

	printf("%s%s %s: %s (%.3fs)%s\n",
	       __igt_plain_output ? "" : "\x1b[1m",
	       kind, name, result, elapsed,
	       __igt_plain_output ? "" : "\x1b[0m");
	fflush(stdout);
	if (stderr_needs_sentinel) {
		fprintf(stderr, "%s %s: %s (%.3fs)\n", kind, name, result,
			elapsed);
		fflush(stderr);
	}
	if (!dynamic)
		guest_sync_result();
}

static void starting_message(bool dynamic, const char *name)
{
	const char *kind = dynamic ? "dynamic subtest" : "subtest";

	igt_info("Starting %s: %s\n", kind, name);
	fflush(stdout);
	if (stderr_needs_sentinel) {
		fprintf(stderr, "Starting %s: %s\n", kind, name);
		fflush(stderr);
	}
}

static __noreturn void exit_subtest(const char *result)
{
	bool dynamic = in_dynamic_subtest != NULL;
	const char **name = dynamic ? &in_dynamic_subtest : &in_subtest;
	struct timespec *then = dynamic ? &dynamic_subtest_time :
					  &subtest_time;
	sigjmp_buf *target = dynamic ? &igt_dynamic_jmpbuf :
				       &igt_subtest_jmpbuf;
	struct timespec now;

	igt_core_hook_notify(dynamic ? IGT_CORE_HOOK_POST_DYN_SUBTEST :
				       IGT_CORE_HOOK_POST_SUBTEST, NULL, result);
	igt_gettime(&now);
	result_message(dynamic, *name, result, igt_time_elapsed(then, &now));
	/* upstream words dynamic subtests' records the same way */
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", command_str,
		 *name, result);

	if (!dynamic)
		dynamic_tests_executed = -1;
	else
		log_ring_reset();

	*name = NULL;
	siglongjmp(*target, 1);
}

static bool valid_name(const char *name)
{
	for (; *name; name++)
		if (*name != '_' && *name != '-' &&
		    !isalnum((unsigned char)*name))
			return false;
	return true;
}

/*
 * Wildmat matching as used by --run-subtest / --dynamic-subtest:
 * '*', '?', '[set]' with ranges and '^' or '!' negation, '\' escapes.
 */
static bool match_set(const char **pp, unsigned char c, bool *ok)
{
	const char *p = *pp;
	bool negate = false, matched = false;
	unsigned char lo, hi;

	if (*p == '^' || *p == '!') {
		negate = true;
		p++;
	}
	/* a leading ']' or '-' is literal */
	if (*p == ']' || *p == '-') {
		if ((unsigned char)*p == c)
			matched = true;
		p++;
	}
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p++;
		lo = (unsigned char)*p++;
		hi = lo;
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		if (c >= lo && c <= hi)
			matched = true;
	}
	if (*p != ']') {
		*ok = false;
		return false;
	}
	*pp = p + 1;
	*ok = true;
	return matched != negate;
}

/*
 * One pattern character against one text character (neither is '\0',
 * the pattern's is not '*'): the pattern after it, or NULL on mismatch.
 */
static const char *match_one(const char *text, const char *p)
{
	const char *q;
	bool ok;

	switch (*p) {
	case '?':
		return p + 1;
	case '[':
		q = p + 1;
		if (match_set(&q, (unsigned char)*text, &ok))
			return q;
		/* unterminated set: a literal '[' */
		if (!ok && *text == '[')
			return p + 1;
		return NULL;
	case '\\':
		if (p[1])
			p++;
		__attribute__((fallthrough));
	default:
		return *text == *p ? p + 1 : NULL;
	}
}

/*
 * Every pattern item but '*' matches exactly one character, so only the
 * last '*' ever needs to be retried: linear backtracking instead of a
 * recursion per '*', which took minutes on "*a*a*a*...b" (fuzz_core_opts).
 */
static bool wildmat_one(const char *text, const char *p)
{
	const char *star_p = NULL, *star_t = NULL, *next;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			star_p = p;
			star_t = text;
			continue;
		}
		if (!*text && !*p)
			return true;
		if (*text && *p) {
			next = match_one(text, p);
			if (next) {
				p = next;
				text++;
				continue;
			}
		}
		/* mismatch: let the last '*' take one more character */
		if (!star_p || !*star_t)
			return false;
		p = star_p;
		text = ++star_t;
	}
}

/* comma separated list, '!' negates an item, the last matching item wins */
static bool wildmat(const char *text, const char *list)
{
	bool result = false;
	char *copy = strdup(list), *item = copy, *p, *w;
	int depth;

	if (!copy)
		return false;

	while (item) {
		bool negate = false, escaped = false;

		/* find the end of the item: a ',' outside '[...]' */
		depth = 0;
		for (p = item; *p; p++) {
			if (escaped) {
				escaped = false;
				continue;
			}
			if (*p == '\\')
				escaped = true;
			else if (*p == '[' && !depth)
				depth = 1;
			else if (*p == ']' && depth)
				depth = 0;
			else if (*p == ',' && !depth)
				break;
		}
		w = item;
		item = *p ? p + 1 : NULL;
		*p = '\0';

		if (*w == '!') {
			negate = true;
			w++;
		}
		if (wildmat_one(text, w))
			result = !negate;
	}

	free(copy);
	return result;
}

/* fuzz/ only (igt_core_fuzz.h): the matcher as --run-subtest uses it */
bool __igt_wildmat(const char *text, const char *list)
{
	return wildmat(text, list);
}

/* ---- descriptions ---- */

static void print_line_wrapping(const char *indent, const char *text)
{
	const int width = 80 - (int)strlen(indent);
	char *copy = strdup(text), *word, *next;
	int cur = 0;
	bool first = true, last = false;

	if (!copy)
		return;

	fputs(indent, stdout);
	word = copy;
	while (!last) {
		int len;

		next = strchr(word, ' ');
		if (!next) {
			next = word + strlen(word);
			last = true;
		}
		*next = '\0';
		len = next - word;

		if (!first && cur + len > width) {
			printf("\n%s", indent);
			cur = 0;
		}
		if (cur == 0)
			fputs(word, stdout);
		else
			printf(" %s", word);
		cur += len;
		first = false;
		word = next + 1;
	}
	putchar('\n');
	free(copy);
}

static void print_test_description(void)
{
	if (&__igt_test_description && __igt_test_description) {
		print_line_wrapping("", __igt_test_description);
		if (describe_subtests)
			putchar('\n');
	}
}

static void print_subtest_description(const char *name, const char *file,
				      int line)
{
	bool documented = false;
	int i;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (i = 0; i < group_desc_count; i++) {
		print_line_wrapping("  ", group_descriptions[i]);
		putchar('\n');
		documented = true;
	}
	if (current_description[0]) {
		print_line_wrapping("  ", current_description);
		putchar('\n');
		documented = true;
	}
	if (!documented)
		printf("  NO DOCUMENTATION!\n\n");
}

void igt_describe_f(const char *fmt, ...)
{
	va_list args;

	if (in_subtest && dynamic_tests_executed >= 0)
		internal_error("documenting dynamic subsubtests is impossible, document the subtest instead.\n");

	if (!describe_subtests)
		return;

	va_start(args, fmt);
	vsnprintf(current_description, sizeof(current_description), fmt,
		  args);
	va_end(args);
}

void __igt_subtest_group_save(int *save, int *desc)
{
	if (!test_with_subtests)
		internal_error("igt_subtest_group is not allowed in igt_simple_main\n");

	if (current_description[0]) {
		char **n = realloc(group_descriptions,
				   (group_desc_count + 1) * sizeof(*n));

		if (n) {
			group_descriptions = n;
			n[group_desc_count++] = strdup(current_description);
			*desc = 1;
		}
		current_description[0] = '\0';
	}

	*save = skip_subtests_henceforth;
}

void __igt_subtest_group_restore(int save, int desc)
{
	if (desc && group_desc_count)
		free(group_descriptions[--group_desc_count]);

	skip_subtests_henceforth = save;
}

/* ---- fixtures and subtests ---- */

bool __igt_fixture(void)
{
	if (in_fixture)
		internal_error("nesting multiple igt_fixtures is invalid\n");
	if (in_subtest)
		internal_error("nesting igt_fixture in igt_subtest is invalid\n");
	if (!test_with_subtests)
		internal_error("igt_fixture in igt_simple_main is invalid\n");

	if (igt_only_list_subtests())
		return false;
	if (skip_subtests_henceforth)
		return false;

	in_fixture = true;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = false;
}

void __igt_fixture_end(void)
{
	in_fixture = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

bool __igt_run_subtest(const char *name, const char *file, const int line)
{
	if (igt_can_fail())
		internal_error("igt_subtest can be nested only in igt_main or igt_subtest_group\n");

	if (!valid_name(name)) {
		igt_critical("Invalid subtest name \"%s\".\n", name);
		igt_exit();
	}

	if (run_single_subtest) {
		if (!wildmat(name, run_single_subtest)) {
			current_description[0] = '\0';
			return false;
		}
		run_single_subtest_found = true;
	}

	if (describe_subtests) {
		print_subtest_description(name, file, line);
		current_description[0] = '\0';
		return false;
	} else if (show_testlist) {
		printf("igt@%s@%s\n", command_str, name);
		return false;
	} else if (list_subtests) {
		printf("%s\n", name);
		return false;
	}

	if (skip_subtests_henceforth) {
		result_message(false, name,
			       skip_subtests_henceforth == SKIP_REST ?
			       "SKIP" : "FAIL", 0.0);
		return false;
	}

	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", command_str, name);
	starting_message(false, name);
	log_ring_reset();
	igt_gettime(&subtest_time);
	igt_core_hook_notify(IGT_CORE_HOOK_PRE_SUBTEST, name, NULL);
	errno = 0;

	in_subtest = name;
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	dynamic_tests_executed = 0;
	dynamic_failed_one = false;
	return true;
}

bool __igt_run_dynamic_subtest(const char *name)
{
	if (!in_subtest || dynamic_tests_executed < 0)
		internal_error("igt_dynamic is allowed only inside igt_subtest_with_dynamic\n");
	if (in_dynamic_subtest)
		internal_error("igt_dynamic is not allowed to be nested in another igt_dynamic\n");

	if (!valid_name(name)) {
		igt_critical("Invalid dynamic subtest name \"%s\".\n", name);
		igt_exit();
	}

	if (run_single_dynamic_subtest &&
	    !wildmat(name, run_single_dynamic_subtest))
		return false;

	igt_kmsg(KMSG_INFO "%s: starting dynamic subtest %s\n", command_str,
		 name);
	starting_message(true, name);
	log_ring_reset();
	dynamic_tests_executed++;
	igt_gettime(&dynamic_subtest_time);
	igt_core_hook_notify(IGT_CORE_HOOK_PRE_DYN_SUBTEST, name, NULL);
	errno = 0;

	in_dynamic_subtest = name;
	return true;
}

/* ---- results ---- */

void igt_skip(const char *f, ...)
{
	va_list args;

	skipped_one = true;

	if (!igt_only_list_subtests()) {
		va_start(args, f);
		vprintf(f, args);
		va_end(args);
		fflush(stdout);
	}

	if (in_subtest) {
		/* skipped dynamic subtests don't count for the container */
		if (in_dynamic_subtest)
			dynamic_tests_executed--;
		exit_subtest("SKIP");
	} else if (test_with_subtests) {
		if (!in_fixture)
			internal_error("skipping is allowed only in fixtures, subtests or igt_simple_main\n");
		skip_subtests_henceforth = SKIP_REST;
		__igt_fixture_end();
	} else {
		igt_exitcode = IGT_EXIT_SKIP;
		igt_exit();
	}
}

void __igt_skip_check(const char *file, const int line, const char *func,
		      const char *check, const char *f, ...)
{
	/*
	 * igt_skip() never returns (longjmp or exit): keep the message
	 * reachable from here instead of leaking one per skipped check.
	 */
	static char *buf;
	int err = errno;
	char errbuf[256] = "";
	va_list args;

	free(buf);
	buf = NULL;
	if (err)
		snprintf(errbuf, sizeof(errbuf), "Last errno: %i, %s\n", err,
			 strerror(err));

	if (f) {
		va_start(args, f);
		if (vasprintf(&buf, f, args) < 0)
			buf = NULL;
		va_end(args);
	}

	igt_skip("Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s%s",
		 func, file, line, check, buf ? buf : "", errbuf);
}

void igt_success(void)
{
	if (in_subtest && !in_dynamic_subtest && dynamic_tests_executed >= 0) {
		/* leaving a dynamic container: result from its children */
		if (dynamic_failed_one)
			igt_fail(IGT_EXIT_FAILURE);
		if (dynamic_tests_executed == 0)
			igt_skip("No dynamic tests executed.\n");
	}

	if (!in_dynamic_subtest)
		succeeded_one = true;

	if (in_subtest)
		exit_subtest("SUCCESS");
}

void igt_fail(int exitcode)
{
	if (in_atexit_handler)
		_exit(IGT_EXIT_FAILURE);

	if (in_dynamic_subtest) {
		dynamic_failed_one = true;
	} else {
		if (dynamic_tests_executed >= 0 && !dynamic_failed_one)
			internal_error("dynamic subtest containers must not fail outside igt_dynamic\n");
		if (!failed_one)
			igt_exitcode = exitcode;
		failed_one = true;
	}

	log_ring_dump();

	if (in_subtest)
		exit_subtest("FAIL");

	if (!igt_can_fail())
		internal_error("failing test is only allowed in fixtures, subtests and igt_simple_main\n");

	if (in_fixture) {
		skip_subtests_henceforth = FAIL_REST;
		__igt_fixture_end();
	}

	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, const int line,
		       const char *func, const char *assertion,
		       const char *f, ...)
{
	int err = errno;
	va_list args;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%i:\n",
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n",
		assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n",
			err, strerror(err));
	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	print_backtrace();
	igt_fail(IGT_EXIT_FAILURE);
}

void __igt_abort(const char *domain, const char *file, const int line,
		 const char *func, const char *expression,
		 const char *f, ...)
{
	int err = errno;
	va_list args;

	igt_kmsg(KMSG_ERR "%s[%d]: Abort in function %s, file %s:%i, %s\n",
		 command_str, getpid(), func, file, line, expression);
	igt_log(domain, IGT_LOG_CRITICAL,
		"Test abort in function %s, file %s:%i:\n", func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "abort condition: %s\n",
		expression);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %i, %s\n",
			err, strerror(err));
	if (f) {
		va_start(args, f);
		igt_vlog(domain, IGT_LOG_CRITICAL, f, args);
		va_end(args);
	}

	print_backtrace();
	log_ring_dump();
	exit_called = true;
	exit(IGT_EXIT_ABORT);
}

void igt_exit(void)
{
	const char *result;
	struct timespec now;

	exit_called = true;

	if (run_single_subtest && !run_single_subtest_found) {
		igt_critical("Unknown subtest: %s\n", run_single_subtest);
		exit(IGT_EXIT_INVALID);
	}

	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	if (test_with_subtests && !failed_one)
		igt_exitcode = succeeded_one ? IGT_EXIT_SUCCESS :
					       IGT_EXIT_SKIP;

	if (command_str)
		igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", command_str,
			 igt_exitcode);
	igt_debug("Exiting with status code %d\n", igt_exitcode);

	switch (igt_exitcode) {
	case IGT_EXIT_SUCCESS:
		result = "SUCCESS";
		break;
	case IGT_EXIT_SKIP:
		result = "SKIP";
		break;
	default:
		result = "FAIL";
		break;
	}
	if (!test_with_subtests) {
		igt_gettime(&now);
		printf("%s (%.3fs)\n", result,
		       igt_time_elapsed(&subtest_time, &now));
	}
	igt_core_hook_notify(IGT_CORE_HOOK_POST_TEST, NULL, result);

	fflush(NULL);
	exit(igt_exitcode);
}

/* ---- signals and exit handlers ---- */

static const struct {
	int sig;
	const char *name;	/* NULL: handled silently */
} handled_signals[] = {
	{ SIGINT, NULL },
	{ SIGHUP, NULL },
	{ SIGPIPE, NULL },
	{ SIGTERM, NULL },
	{ SIGQUIT, "SIGQUIT" },
	{ SIGABRT, "SIGABRT" },
	{ SIGSEGV, "SIGSEGV" },
	{ SIGBUS, "SIGBUS" },
	{ SIGFPE, "SIGFPE" },
};

static void restore_signals(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(handled_signals); i++)
		signal(handled_signals[i].sig, SIG_DFL);
}

static void call_exit_handlers(int sig)
{
	int i;

	for (i = exit_handler_count - 1; i >= 0; i--)
		exit_handlers[i](sig);
	exit_handler_count = 0;
}

static bool crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
		sig == SIGILL;
}

static void fatal_sig_handler(int sig)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(handled_signals); i++) {
		if (handled_signals[i].sig != sig)
			continue;

		if (handled_signals[i].name) {
			write_stderr("Received signal ");
			write_stderr(handled_signals[i].name);
			write_stderr(".\n");
			print_backtrace_sig_safe();
		}

		if (crash_signal(sig)) {
			if (!failed_one)
				igt_exitcode = 128 + sig;
			failed_one = true;

			if (in_subtest)
				exit_subtest("CRASH");
		}
		break;
	}

	restore_signals();
	call_exit_handlers(sig);
	syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), sig);
}

static void atexit_handler(void)
{
	in_atexit_handler = true;
	restore_signals();
	call_exit_handlers(0);
}

static void install_signal_handlers(void)
{
	struct sigaction sa;
	unsigned int i;
	void *dummy[1];

	if (handlers_installed)
		return;
	handlers_installed = true;

	/* make backtrace() load its helpers now, not in a signal handler */
	backtrace(dummy, 1);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i].sig, &sa, NULL);

	atexit(atexit_handler);
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	int i;

	for (i = 0; i < exit_handler_count; i++)
		if (exit_handlers[i] == fn)
			return;

	igt_assert(exit_handler_count < MAX_EXIT_HANDLERS);
	exit_handlers[exit_handler_count++] = fn;
	install_signal_handlers();
}

/* ---- initialisation ---- */

void igt_srandom(void)
{
	const char *env = getenv("IGT_SRANDOM");
	int seed = env ? atoi(env) : (int)time(NULL);

	srandom(seed);
	igt_info("Using IGT_SRANDOM=%d for randomisation\n", seed);
}

static void print_version(void)
{
	struct utsname uts;

	if (igt_only_list_subtests())
		return;

	uname(&uts);
	igt_info("IGT-Version: %s (%s) (%s: %s %s)\n", IGT_CORE_VERSION,
		 IGT_CORE_CPU, uts.sysname, uts.release, uts.machine);
}

static void print_usage(const char *help_str, bool on_stderr)
{
	FILE *f = on_stderr ? stderr : stdout;

	fprintf(f, "Usage: %s [OPTIONS]\n", command_str);
	fprintf(f, "  --list-subtests\n"
		   "  --show-testlist\n"
		   "  --run-subtest <pattern>\n"
		   "  --dynamic-subtest <pattern>\n"
		   "  --debug[=log-domain]\n"
		   "  --interactive-debug[=domain]\n"
		   "  --skip-crc-compare\n"
		   "  --trace-on-oops\n"
		   "  --hook [<events>:]<cmd>\n"
		   "  --help-hook\n"
		   "  --help-description\n"
		   "  --describe\n"
		   "  --device filters\n"
		   "  --version\n"
		   "  --help|-h\n");
	if (help_str)
		fprintf(f, "%s\n", help_str);
}

/*
 * --trace-on-oops: have the kernel dump its ftrace buffer when it oopses
 * during the run, for the post-mortem. Upstream writes the setting at
 * every start (0 without the option); core only turns it on when asked
 * and puts the previous value back when the test exits, so that a run
 * leaves the machine's setting as it found it.
 */
#define FTRACE_DUMP_ON_OOPS "/proc/sys/kernel/ftrace_dump_on_oops"
static char ftrace_saved[16];

static bool write_ftrace_dump_on_oops(const char *value)
{
	FILE *f = fopen(FTRACE_DUMP_ON_OOPS, "we");
	bool ok;

	if (!f)
		return false;
	ok = fputs(value, f) >= 0;
	return !fclose(f) && ok;
}

static void ftrace_dump_on_oops_restore(int sig)
{
	if (ftrace_saved[0])
		write_ftrace_dump_on_oops(ftrace_saved);
	ftrace_saved[0] = '\0';
}

static void ftrace_dump_on_oops_enable(void)
{
	char old[sizeof(ftrace_saved)] = "";
	FILE *f = fopen(FTRACE_DUMP_ON_OOPS, "re");
	bool got = f && fgets(old, sizeof(old), f);

	if (f)
		fclose(f);
	/* as upstream: without the setting the tests still run */
	if (!got || !write_ftrace_dump_on_oops("1\n")) {
		igt_debug("--trace-on-oops: cannot set %s\n",
			  FTRACE_DUMP_ON_OOPS);
		return;
	}
	memcpy(ftrace_saved, old, sizeof(ftrace_saved));
	igt_install_exit_handler(ftrace_dump_on_oops_restore);
}

static void oom_adjust_for_doom(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd >= 0) {
		ssize_t r = write(fd, "1000", 4);

		(void)r;
		close(fd);
	}
}

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_DESCRIBE,
	OPT_RUN_SUBTEST,
	OPT_RUN_DYNAMIC,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_HOOK,
	OPT_HELP_HOOK,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_HELP = 'h',
};

static int common_init(int *argc, char **argv, const char *extra_short,
		       const struct option *extra_long, const char *help_str,
		       igt_opt_handler_t handler, void *handler_data)
{
	static const struct option std_long[] = {
		{ "list-subtests", no_argument, NULL, OPT_LIST_SUBTESTS },
		{ "show-testlist", no_argument, NULL, OPT_SHOW_TESTLIST },
		{ "describe", optional_argument, NULL, OPT_DESCRIBE },
		{ "run-subtest", required_argument, NULL, OPT_RUN_SUBTEST },
		{ "dynamic-subtest", required_argument, NULL, OPT_RUN_DYNAMIC },
		{ "help-description", no_argument, NULL, OPT_HELP_DESCRIPTION },
		{ "debug", optional_argument, NULL, OPT_DEBUG },
		{ "interactive-debug", optional_argument, NULL,
		  OPT_INTERACTIVE_DEBUG },
		{ "skip-crc-compare", no_argument, NULL, OPT_SKIP_CRC },
		{ "trace-on-oops", no_argument, NULL, OPT_TRACE_OOPS },
		{ "hook", required_argument, NULL, OPT_HOOK },
		{ "help-hook", no_argument, NULL, OPT_HELP_HOOK },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct option *opts;
	char *short_opts;
	const char *env, *hook_error = NULL;
	char *env_device = NULL;
	bool have_device_opt = false, trace_on_oops = false;
	int n_extra = 0, c, idx = 0, ret = 0, i;

	/* environment */
	if (!isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT"))
		__igt_plain_output = true;
	env = getenv("IGT_LOG_LEVEL");
	if (env) {
		if (!strcmp(env, "debug"))
			igt_log_level = IGT_LOG_DEBUG;
		else if (!strcmp(env, "info"))
			igt_log_level = IGT_LOG_INFO;
		else if (!strcmp(env, "warn"))
			igt_log_level = IGT_LOG_WARN;
		else if (!strcmp(env, "none"))
			igt_log_level = IGT_LOG_NONE;
	}
	stderr_needs_sentinel = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	guest_sync_init();
	env = getenv("IGT_DEVICE");
	if (env)
		env_device = strdup(env);

	command_str = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
					      argv[0];

	while (extra_long && extra_long[n_extra].name)
		n_extra++;
	opts = calloc(n_extra + ARRAY_SIZE(std_long), sizeof(*opts));
	if (!opts)
		abort();
	if (n_extra)
		memcpy(opts, extra_long, n_extra * sizeof(*opts));
	memcpy(opts + n_extra, std_long, sizeof(std_long));
	if (asprintf(&short_opts, "%sh", extra_short ? extra_short : "") < 0)
		abort();

	while ((c = getopt_long(*argc, argv, short_opts, opts, &idx)) != -1) {
		switch (c) {
		case OPT_INTERACTIVE_DEBUG:
		case OPT_SKIP_CRC:
			/* accepted, no effect here */
			break;
		case OPT_TRACE_OOPS:
			trace_on_oops = true;
			break;
		case OPT_HOOK:
			hook_error = hook_error ? hook_error :
				     igt_core_hook_add(optarg); // NOLINT(clang-analyzer-core.NonNullParamChecker)
			break;
		case OPT_HELP_HOOK:
			igt_core_hook_print_help(stdout);
			ret = -1;
			goto out;
		case OPT_DEBUG:
			igt_log_level = IGT_LOG_DEBUG;
			if (optarg && *optarg) {
				/* repeated: the last one wins, none leaks */
				free((char *)igt_log_domain_filter);
				igt_log_domain_filter = strdup(optarg);
			}
			break;
		case OPT_LIST_SUBTESTS:
			if (!run_single_subtest)
				list_subtests = true;
			break;
		case OPT_SHOW_TESTLIST:
			show_testlist = true;
			break;
		case OPT_DESCRIBE:
			if (optarg) {
				free(run_single_subtest);
				run_single_subtest = strdup(optarg);
			}
			list_subtests = true;
			describe_subtests = true;
			print_test_description();
			break;
		case OPT_RUN_SUBTEST:
			if (!igt_only_list_subtests()) {
				free(run_single_subtest);
				/* required_argument: getopt sets optarg */
				run_single_subtest = strdup(optarg); // NOLINT(clang-analyzer-core.NonNullParamChecker)
			}
			break;
		case OPT_RUN_DYNAMIC:
			if (!igt_only_list_subtests()) {
				free(run_single_dynamic_subtest);
				run_single_dynamic_subtest = strdup(optarg); // NOLINT(clang-analyzer-core.NonNullParamChecker)
			}
			break;
		case OPT_HELP_DESCRIPTION:
			print_test_description();
			ret = -1;
			goto out;
		case OPT_DEVICE:
			have_device_opt = true;
			igt_device_filter_add(optarg);
			break;
		case OPT_VERSION:
			print_version();
			ret = -1;
			goto out;
		case OPT_HELP:
			print_usage(help_str, false);
			ret = -1;
			goto out;
		case '?':
			print_usage(help_str, true);
			ret = -2;
			goto out;
		default:
			ret = handler ? handler(c, idx, handler_data) :
					IGT_OPT_HANDLER_ERROR;
			if (ret)
				goto out;
			break;
		}
	}

	/* --device wins over IGT_DEVICE (.igtrc is not read) */
	if (!have_device_opt && env_device)
		igt_device_filter_add(env_device);

	if (hook_error) {
		igt_critical("Failed to initialize hook data: %s\n",
			     hook_error);
		ret = -2;
	}

out:
	free(env_device);
	free(short_opts);
	free(opts);
	fflush(stdout);

	if (!test_with_subtests) {
		if (run_single_subtest) {
			igt_warn("Unknown subtest: %s\n", run_single_subtest);
			exit(IGT_EXIT_INVALID);
		}
		if (show_testlist) {
			printf("igt@%s\n", command_str);
			exit(IGT_EXIT_SUCCESS);
		}
		if (list_subtests)
			exit(IGT_EXIT_INVALID);
	}

	if (ret < 0) {
		igt_core_hook_free_all();
		exit(ret == -1 ? IGT_EXIT_SUCCESS : IGT_EXIT_INVALID);
	}

	if (!igt_only_list_subtests()) {
		igt_kmsg(KMSG_INFO "%s: executing\n", command_str);
		print_version();
		igt_srandom();
		fflush(stdout);
		igt_core_hook_notify(IGT_CORE_HOOK_PRE_TEST, command_str, NULL);
		oom_adjust_for_doom();
		if (trace_on_oops)
			ftrace_dump_on_oops_enable();
	} else {
		/* nothing runs: no hook fires */
		igt_core_hook_free_all();
	}

	install_signal_handlers();

	if (!test_with_subtests)
		igt_gettime(&subtest_time);

	for (i = 0; optind + i < *argc; i++)
		argv[i + 1] = argv[optind + i];
	*argc = *argc - optind + 1;

	errno = 0;
	return ret;
}

int igt_subtest_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	test_with_subtests = true;
	return common_init(argc, argv, extra_short_opts, extra_long_opts,
			   help_str, extra_opt_handler, handler_data);
}

void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
}

/*
 * fuzz/ only (igt_core_fuzz.h): forgets what the command line set, so
 * that one process can parse many command lines. Not used by tests.
 */
void __igt_core_reset_options(void)
{
	free(run_single_subtest);
	free(run_single_dynamic_subtest);
	free((char *)igt_log_domain_filter);
	run_single_subtest = NULL;
	run_single_dynamic_subtest = NULL;
	igt_log_domain_filter = NULL;
	run_single_subtest_found = false;
	list_subtests = false;
	show_testlist = false;
	describe_subtests = false;
	test_with_subtests = false;
	igt_log_level = IGT_LOG_INFO;
	igt_device_filter_free_all();
	igt_core_hook_free_all();
	optind = 0;
}
