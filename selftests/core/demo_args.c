// SPDX-License-Identifier: MIT
/* Demo test for the core selftests: igt_main_args and a device open. */
#include "igt.h"

static int count = 1;

static int opt_handler(int opt, int opt_index, void *data)
{
	switch (opt) {
	case 'n':
		count = atoi(optarg);
		if (count <= 0)
			return IGT_OPT_HANDLER_ERROR;
		break;
	default:
		return IGT_OPT_HANDLER_ERROR;
	}

	return IGT_OPT_HANDLER_SUCCESS;
}

static const struct option long_opts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] = "  -n, --count N\tloops\n";

igt_main_args("n:", long_opts, help_str, opt_handler, NULL)
{
	igt_subtest("count")
		igt_info("count=%d\n", count);

	igt_subtest("filters") {
		int i;

		for (i = 0; i < igt_device_filter_count(); i++)
			igt_info("filter %d: %s\n", i,
				 igt_device_filter_get(i));
	}

	igt_subtest("open-vgem") {
		int fd = drm_open_driver(DRIVER_VGEM);

		igt_assert(is_vgem_device(fd));
		drm_close_driver(fd);
	}

	igt_subtest("open-any") {
		int fd = drm_open_driver(DRIVER_ANY);

		drm_close_driver(fd);
	}
}
