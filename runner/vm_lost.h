/* SPDX-License-Identifier: MIT */
/* The entries of jobs that left no result (vm_lost.c). */
#ifndef VM_LOST_H
#define VM_LOST_H

#include "vm_entries.h"
#include "vm_ingest.h"

/* the console's panic pattern: compiled once, before any entry_lost() */
void lost_rules_compile(void);
void lost_rules_free(void);

/*
 * The entry of a job started in a boot that ended first (JOB_LOST), from
 * @console, that boot's console log (NULL: none was given).
 */
void entry_lost(struct entries *es, struct job *j, const char *console);
/* the entry of a job listed but never started (JOB_NOTRUN) */
void entry_notrun(struct entries *es, struct job *j);

#endif
