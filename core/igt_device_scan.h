/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for IGT's lib/igt_device_scan.h: device filters (declared in
 * igt_core.h) and igt_device_card_match(), with upstream's names.
 */
#ifndef IGT_DEVICE_SCAN_H
#define IGT_DEVICE_SCAN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "igt_core.h"

/* the fields upstream has; core fills subsystem, card and driver */
struct igt_device_card {
	char subsystem[NAME_MAX];
	char card[NAME_MAX];		/* "/dev/dri/card1" */
	char render[NAME_MAX];
	char driver[NAME_MAX];
	char pci_slot_name[13];
	uint16_t pci_vendor, pci_device;
};

/*
 * The first existing card that @filter matches. As upstream, it only
 * looks at the devices there are: no module is loaded.
 */
bool igt_device_card_match(const char *filter, struct igt_device_card *card);

#endif /* IGT_DEVICE_SCAN_H */
