// SPDX-License-Identifier: MIT
/*
 * Stand-in test binary for the VM harness: two subtests in IGT's output
 * format, one of which reports what the guest sees (DRM cards, the
 * scratch directory), so that a run shows the harness end to end.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int list_drm(void)
{
	struct dirent *de;
	DIR *d = opendir("/sys/class/drm");

	if (!d) {
		printf("no /sys/class/drm\n");
		return 1;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			printf("drm: %s\n", de->d_name);
	closedir(d);
	printf("IGT_GUP_DIRECT_IO_DIR=%s\n",
	       getenv("IGT_GUP_DIRECT_IO_DIR") ?: "(unset)");
	return 0;
}

int main(int argc, char **argv)
{
	const char *sub;
	int ret = 0;

	if (argc > 1 && !strcmp(argv[1], "--list-subtests")) {
		printf("sanity\ndrm-devices\n");
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "--run-subtest"))
		return 79;
	sub = argv[2];
	printf("Starting subtest: %s\n", sub);
	if (!strcmp(sub, "drm-devices"))
		ret = list_drm();
	else if (strcmp(sub, "sanity"))
		ret = 1;
	printf("Subtest %s: %s (0.000s)\n", sub, ret ? "FAIL" : "SUCCESS");
	return ret ? 98 : 0;
}
