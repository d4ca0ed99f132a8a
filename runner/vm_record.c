// SPDX-License-Identifier: MIT
/* The one writer of a stream record's line (vm_record.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_record.h"

json_object *vm_record_new(const char *type)
{
	json_object *rec = json_object_new_object();

	json_object_object_add(rec, "type", json_object_new_string(type));
	return rec;
}

char *vm_record_line(json_object *rec, size_t *len)
{
	/* "/" as it is: the host's parser takes both */
	const char *js = json_object_to_json_string_ext(rec,
					JSON_C_TO_STRING_PLAIN |
					JSON_C_TO_STRING_NOSLASHESCAPE);
	char *line;

	*len = strlen(RECORD_PREFIX) + strlen(js) + 1;
	line = malloc(*len + 1);
	if (!line) {
		fputs("out of memory\n", stderr);
		abort();
	}
	snprintf(line, *len + 1, "%s%s\n", RECORD_PREFIX, js);
	json_object_put(rec);
	return line;
}
