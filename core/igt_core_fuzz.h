/* SPDX-License-Identifier: MIT */
/*
 * Entry points of core/ for the fuzz targets in fuzz/ only. Not part of
 * IGT's API: no test may use them, and upstream IGT has no such header.
 */
#ifndef IGT_CORE_FUZZ_H
#define IGT_CORE_FUZZ_H

#include <stdbool.h>

/* The --run-subtest / --dynamic-subtest matcher (comma lists, '!'). */
bool __igt_wildmat(const char *text, const char *list);

/* Undoes what igt_*_init_parse_opts() recorded from a command line. */
void __igt_core_reset_options(void);

#endif /* IGT_CORE_FUZZ_H */
