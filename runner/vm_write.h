/* SPDX-License-Identifier: MIT */
/*
 * The files igt_vm_results build writes into a kernel's results folder,
 * each by its own writer: results.json (vm_write_json.c), junit.xml
 * (vm_write_junit.c), summary.txt (vm_write_summary.c). Each returns 0 or
 * -errno.
 */
#ifndef VM_WRITE_H
#define VM_WRITE_H

#include "vm_entries.h"
#include "vm_ingest.h"

/* @argc, @argv: the command line, results.json's "cmdline" */
int write_results_json(const char *dir, const char *name,
		       const struct build *b, const struct entries *es,
		       int argc, char **argv);
int write_junit(const char *dir, const char *name, const struct build *b,
		const struct entries *es);
int write_summary(const char *dir, const struct entries *es);

#endif
