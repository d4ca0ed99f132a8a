// SPDX-License-Identifier: MIT
/*
 * A stand-in for an IGT test binary, for the igt_guest_runner selftest.
 * Its behaviour depends on the name it is run under:
 * - fake_simple: no subtests (--list-subtests exits 79), passes.
 * - fake_subtests: subtests that pass, fail, have dynamic subtests, hang,
 *   die by a signal, log a kernel warning, flood stdout, print control
 *   characters and invalid UTF-8. --run-subtest takes a comma list and runs
 *   them in one process, in the listing's order (IGT's multiple mode); a
 *   subtest that hangs or dies takes the process with it.
 * - fake_nolist: --list-subtests dies by SIGSEGV.
 * $FAKE_KMSG names a file that plays /dev/kmsg (raw records appended);
 * $FAKE_EXEC_LOG, a file that gets the --run-subtest list of each run.
 * $FAKE_SYNC (a file): speak the guest runner's handshake, as IGT's core
 * does with IGT_GUEST_SYNC_FDS, and append "acks N" to it at the end of
 * each run.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const subtests[] = {
	"pass", "fail", "dyn", "hang", "segv", "kmsgwarn", "flood", "binary",
	NULL,
};

static unsigned long long seq = 1000;
static int sync_w = -1, sync_r = -1, acks;

static void sync_log(void)
{
	const char *path = getenv("FAKE_SYNC");
	FILE *f;

	if (!path || sync_w < 0)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "acks %d\n", acks);
	fclose(f);
}

static void sync_init(void)
{
	const char *env = getenv("IGT_GUEST_SYNC_FDS");

	if (!getenv("FAKE_SYNC") || !env ||
	    sscanf(env, "%d,%d", &sync_w, &sync_r) != 2 ||
	    write(sync_w, "h", 1) != 1) {
		sync_w = sync_r = -1;
		return;
	}
	atexit(sync_log);
}

static void sync_result(void)
{
	char c;

	if (sync_w >= 0 && write(sync_w, "r", 1) == 1 &&
	    read(sync_r, &c, 1) == 1)
		acks++;
}

static void kmsg(int level, const char *text)
{
	const char *path = getenv("FAKE_KMSG");
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%d,%llu,%llu,-;%s\n", level, seq, seq * 1000ull, text);
	seq++;
	fclose(f);
}

static void start(const char *name)
{
	char buf[256];

	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	fprintf(stderr, "Starting subtest: %s\n", name);
	snprintf(buf, sizeof(buf), "[IGT] fake_subtests: starting subtest %s",
		 name);
	kmsg(6, buf);
}

static void result(const char *name, const char *res)
{
	printf("Subtest %s: %s (0.001s)\n", name, res);
	fflush(stdout);
	fprintf(stderr, "Subtest %s: %s (0.001s)\n", name, res);
	sync_result();
}

static int run(const char *name)
{
	if (!strcmp(name, "pass")) {
		start(name);
		printf("VmFlags: rd wr sh mr mw me ms pf io de dd\n");
		result(name, "SUCCESS");
		return 0;
	}
	if (!strcmp(name, "fail")) {
		start(name);
		printf("dumb at 0x7f00 (+4 KiB): VmFlags: rd wr sh mr mw me "
		       "ms mm\n");
		fprintf(stderr, "(fake_subtests:1) CRITICAL: Test assertion "
			"failure function run, file fake_igt.c:1:\n");
		fprintf(stderr, "Subtest fail failed.\n");
		result(name, "FAIL");
		return 98;
	}
	if (!strcmp(name, "dyn")) {
		start(name);
		printf("Starting dynamic subtest: virtio_gpu-card0\n");
		fprintf(stderr, "Starting dynamic subtest: virtio_gpu-card0\n");
		kmsg(6, "[IGT] fake_subtests: starting dynamic subtest "
			"virtio_gpu-card0");
		printf("virtio says hi\n");
		printf("Dynamic subtest virtio_gpu-card0: SUCCESS (0.002s)\n");
		fprintf(stderr, "Dynamic subtest virtio_gpu-card0: SUCCESS "
			"(0.002s)\n");
		printf("Starting dynamic subtest: vgem-card1\n");
		fprintf(stderr, "Starting dynamic subtest: vgem-card1\n");
		kmsg(6, "[IGT] fake_subtests: starting dynamic subtest "
			"vgem-card1");
		kmsg(4, "vgem: something odd");
		printf("vgem says hi\n");
		fprintf(stderr, "Dynamic subtest vgem-card1 failed.\n");
		printf("Dynamic subtest vgem-card1: FAIL (0.003s)\n");
		fprintf(stderr, "Dynamic subtest vgem-card1: FAIL (0.003s)\n");
		result(name, "FAIL");
		return 98;
	}
	if (!strcmp(name, "hang")) {
		/* the runner must escalate to SIGKILL */
		signal(SIGQUIT, SIG_IGN);
		start(name);
		for (;;)
			pause();
	}
	if (!strcmp(name, "segv")) {
		start(name);
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
		return 0;
	}
	if (!strcmp(name, "kmsgwarn")) {
		start(name);
		kmsg(6, "WARNING: CPU: 0 PID: 1 at mm/gup.c:123 fake+0x0/0x10");
		result(name, "SUCCESS");
		return 0;
	}
	if (!strcmp(name, "flood")) {
		start(name);
		for (int i = 0; i < 40000; i++)
			printf("flood line %d ........................\n", i);
		result(name, "SUCCESS");
		return 0;
	}
	if (!strcmp(name, "binary")) {
		start(name);
		printf("ctl \x01\x02\x1b[1m tab\t quote\" slash/ bad \xff\xfe "
		       "utf8 \xc3\xa9\n");
		result(name, "SUCCESS");
		return 0;
	}
	fprintf(stderr, "Unknown subtest: %s\n", name);
	return 79;
}

int main(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 :
			 argv[0];

	if (!strcmp(me, "fake_nolist")) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (!strcmp(me, "fake_simple")) {
		if (argc > 1 && !strcmp(argv[1], "--list-subtests"))
			return 79;
		printf("IGT-Version: 2.0-fake (x86_64) (Linux: 6.1.0 x86_64)\n");
		printf("SUCCESS (0.000s)\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--list-subtests")) {
		for (int i = 0; subtests[i]; i++)
			printf("%s\n", subtests[i]);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--run-subtest")) {
		const char *log = getenv("FAKE_EXEC_LOG");
		int ret = 77, n = 0;

		if (log) {
			FILE *f = fopen(log, "a");

			if (f) {
				fprintf(f, "%s\n", argv[2]);
				fclose(f);
			}
		}
		sync_init();
		printf("IGT-Version: 2.0-fake (x86_64) (Linux: 6.1.0 x86_64)\n");
		/* IGT runs the subtests in its own order, not the list's */
		for (int i = 0; subtests[i]; i++) {
			char list[1024], *tok, *save = NULL;
			int r;

			snprintf(list, sizeof(list), "%s", argv[2]);
			for (tok = strtok_r(list, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				if (!strcmp(tok, subtests[i]))
					break;
			if (!tok)
				continue;
			n++;
			r = run(subtests[i]);
			if (r == 98)
				ret = 98;
			else if (r == 0 && ret == 77)
				ret = 0;
		}
		if (!n) {
			fprintf(stderr, "Unknown subtest: %s\n", argv[2]);
			return 79;
		}
		return ret;
	}
	fprintf(stderr, "usage: %s --run-subtest NAME\n", me);
	return 79;
}
