/* SPDX-License-Identifier: MIT */
/* Minimal stand-in for IGT's lib/igt_device_scan.h: device filters only. */
#ifndef IGT_DEVICE_SCAN_H
#define IGT_DEVICE_SCAN_H

#include "igt_core.h"

#endif /* IGT_DEVICE_SCAN_H */
