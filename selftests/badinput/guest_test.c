// SPDX-License-Identifier: MIT
/*
 * A test binary for the VM bad-input cases (vm.sh): run in the guest by
 * the real igt_guest_runner, each subtest misbehaves in one way.
 *   slow       sleeps 4 s, long enough for vm.sh to SIGKILL the matrix
 *   half-line  writes half a record to the stream port, then crashes the
 *              kernel: the host sees a record cut mid-line
 *   hang       never returns: the runner's --timeout must end it
 *   last       passes: the run goes on after all of the above
 * No IGT core: plain output and exit codes are enough for the host.
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

int main(int argc, char **argv)
{
	const char *sub;

	if (argc > 1 && !strcmp(argv[1], "--list-subtests")) {
		printf("slow\nhalf-line\nhang\nlast\n");
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "--run-subtest"))
		return 79;
	sub = argv[2];
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
		return 1;	/* only without sysrq */
	} else if (!strcmp(sub, "hang")) {
		/* SIGQUIT too: only the runner's SIGKILL ends it */
		signal(SIGQUIT, SIG_IGN);
		for (;;)
			pause();
	} else if (strcmp(sub, "last")) {
		return 79;
	}
	printf("Subtest %s: SUCCESS (0.000s)\n", sub);
	return 0;
}
