/* SPDX-License-Identifier: MIT */
/*
 * The guest's record stream (docs/vm-harness-contract.md, "Stream
 * records"): one record per line, RECORD_PREFIX then one JSON object.
 * The one definition of the format, for its writers (the guest runner,
 * the selftests' and fuzz targets' stream builders) and its reader
 * (stream_read() in vm_util.c).
 */
#ifndef VM_RECORD_H
#define VM_RECORD_H

#include <stddef.h>

#include <json-c/json.h>

#define RECORD_PREFIX	"IGTVM1 "

/* A new record of @type ("boot", "list", "start", "result", "done"). */
json_object *vm_record_new(const char *type);

/*
 * The record's line, prefix to newline, in a malloc'ed string; its length
 * in *len. Releases @rec.
 */
char *vm_record_line(json_object *rec, size_t *len);

#endif
