// SPDX-License-Identifier: MIT
/*
 * kmsg_tail CMD [ARGS...]: run CMD, then print the /dev/kmsg records that
 * were added while it ran and that contain "[IGT] BIN" (BIN: CMD's base
 * name; other tests may write records meanwhile), one per line, as
 * "L text" with L the record's level (PRIO & 7).
 *
 * Exits 3 when /dev/kmsg cannot be written or read, CMD's exit status
 * otherwise (stdout/stderr of CMD are discarded).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[8192], tag[256];
	const char *base;
	int fd, wfd, status;
	pid_t pid;

	if (argc < 2)
		return 2;

	wfd = open("/dev/kmsg", O_WRONLY);
	if (wfd < 0)
		return 3;
	close(wfd);

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0 || lseek(fd, 0, SEEK_END) < 0)
		return 3;

	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 2;

	base = strrchr(argv[1], '/');
	snprintf(tag, sizeof(tag), "[IGT] %.200s", base ? base + 1 : argv[1]);
	for (;;) {
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		char *text, *nl;

		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (len <= 0)
			break;
		buf[len] = '\0';
		text = strchr(buf, ';');
		if (!text || !strstr(text, tag))
			continue;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		printf("%d %s\n", atoi(buf) & 7, text + 1);
	}

	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
