// SPDX-License-Identifier: MIT
/*
 * chan_writer: writes N records of SIZE bytes to a guest channel the way
 * igt_guest_runner writes its stream, each one made safe against a kernel
 * crash before the next: a tty in raw mode with tcdrain() (the UART), a
 * virtio-console port with plain write() (QEMU's TCG takes the data when
 * the guest notifies the queue), a block device with O_DIRECT | O_DSYNC
 * writes of whole sectors (a virtio-blk log). Prints one line:
 * "IGTVM-CHAN MODE RECORDS BYTES SECONDS" on stdout (benchmarks/channel.sh).
 *
 * usage: chan_writer tty|port|blk DEV RECORDS SIZE
 */

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *mode, *dev;
	size_t n, size, len;
	double t0, t1;
	char *buf;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: %s tty|port|blk DEV RECORDS SIZE\n",
			argv[0]);
		return 2;
	}
	mode = argv[1];
	dev = argv[2];
	n = strtoul(argv[3], NULL, 0);
	size = strtoul(argv[4], NULL, 0);
	len = !strcmp(mode, "blk") ? (size + 511) / 512 * 512 : size;
	if (posix_memalign((void **)&buf, 4096, len))
		return 1;
	memset(buf, 0, len);
	memset(buf, 'x', size);
	buf[size - 1] = '\n';

	fd = open(dev, O_WRONLY | O_NOCTTY |
		  (!strcmp(mode, "blk") ? O_DIRECT | O_DSYNC : 0));
	if (fd < 0) {
		perror(dev);
		return 1;
	}
	if (!strcmp(mode, "tty")) {
		struct termios t;

		tcgetattr(fd, &t);
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~CRTSCTS;
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		ssize_t w = !strcmp(mode, "blk") ?
			    pwrite(fd, buf, len, (off_t)(i * len)) :
			    write(fd, buf, len);

		if (w != (ssize_t)len) {
			perror("write");
			return 1;
		}
		if (!strcmp(mode, "tty"))
			tcdrain(fd);
	}
	t1 = now();
	printf("IGTVM-CHAN %s %zu %zu %.3f\n", mode, n, n * len, t1 - t0);
	return 0;
}
