/* SPDX-License-Identifier: MIT */
/* Scratch folders and results.json checks shared by the runner targets. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>

#include <json-c/json.h>

/* A fresh folder under /dev/shm (tmpfs: no disk I/O per input). */
const char *fuzz_scratch(void);
void fuzz_write(const char *name, const void *buf, size_t len);
char *fuzz_path(const char *name);	/* static buffer */

/*
 * Runs igt_vm_results build on the given streams (and consoles), then
 * parses results.json strictly, rejecting invalid UTF-8. Aborts if the
 * build fails or its output is not valid JSON; returns the parsed object.
 */
json_object *fuzz_build(int nstreams, int nconsoles);

#endif
