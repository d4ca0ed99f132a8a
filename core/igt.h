/* SPDX-License-Identifier: MIT */
/*
 * Umbrella header, as upstream IGT's lib/igt.h, for the subset of IGT's
 * library that core/ provides.
 */
#ifndef IGT_H
#define IGT_H

#include "igt_core.h"
#include "drmtest.h"
#include "ioctl_wrappers.h"
#include "igt_device_scan.h"

#endif /* IGT_H */
