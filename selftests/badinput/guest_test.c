// SPDX-License-Identifier: MIT
/*
 * A test binary for the VM bad-input cases (vm.sh): run in the guest by
 * the real igt_guest_runner, each subtest misbehaves in one way.
 *   slow       sleeps 4 s, long enough for vm.sh to SIGKILL the matrix
 *   half-line  writes half a record to the stream port, then crashes the
 *              kernel: the host sees a record cut mid-line
 *   hang       never returns: the runner's --timeout must end it
 *   last       passes: the run goes on after all of the above
 * No IGT core: plain output (no marker copies on stderr) and exit codes
 * are enough for the host; --run-subtest takes a comma list.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_NOCTTY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror(path);
		close(fd);
	}
}

static const char *const subtests[] = { "slow", "half-line", "hang", "last" };

/* One subtest; returns only when it passed. */
static void run(const char *sub)
{
	printf("Starting subtest: %s\n", sub);
	fflush(stdout);
	if (!strcmp(sub, "slow")) {
		sleep(4);
	} else if (!strcmp(sub, "half-line")) {
		write_file("/dev/ttyS1",
			   "IGTVM1 {\"type\":\"result\",\"test\":\"badinput_guest\",\"subtest\":\"half-l");
		sleep(1);
		write_file("/proc/sys/kernel/sysrq", "1");
		write_file("/proc/sysrq-trigger", "c");
		_exit(1);	/* only without sysrq */
	} else if (!strcmp(sub, "hang")) {
		/* SIGQUIT too: only the runner's SIGKILL ends it */
		signal(SIGQUIT, SIG_IGN);
		for (;;)
			pause();
	}
	printf("Subtest %s: SUCCESS (0.000s)\n", sub);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int n = 0;

	if (argc > 1 && !strcmp(argv[1], "--list-subtests")) {
		for (size_t i = 0; i < sizeof(subtests) / sizeof(*subtests); i++)
			printf("%s\n", subtests[i]);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "--run-subtest"))
		return 79;
	/* a comma list, run in this binary's order (IGT's multiple mode) */
	for (size_t i = 0; i < sizeof(subtests) / sizeof(*subtests); i++) {
		char list[256], *tok, *save = NULL;

		snprintf(list, sizeof(list), "%s", argv[2]);
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, subtests[i])) {
				run(subtests[i]);
				n++;
				break;
			}
		}
	}
	return n ? 0 : 79;
}
