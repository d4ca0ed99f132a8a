// SPDX-License-Identifier: MIT
/* Reads the facts lines (lib/igt_gup_facts.h) of a test's output. */
#include <stdio.h>
#include <string.h>

#include "vm_facts.h"
#include "vm_util.h"

json_object *facts_of(const char *out, bool first_only)
{
	static const size_t tl = sizeof(IGT_GUP_FACTS_TAG) - 1;
	json_object *merged = NULL;

	for (const char *p = out; p && *p; ) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n > tl && !strncmp(p, IGT_GUP_FACTS_TAG, tl)) {
			char *js = xstrndup(p + tl, n - tl);
			json_object *o = json_tokener_parse(js);

			free(js);
			if (json_object_is_type(o, json_type_object)) {
				if (!merged) {
					merged = o;
					o = NULL;
				} else {
					json_object_object_foreach(o, k, v) {
						json_object_object_add(merged, k,
							json_object_get(v));
					}
				}
			}
			json_object_put(o);
			if (merged && first_only)
				break;
		}
		p = eol ? eol + 1 : NULL;
	}
	return merged;
}

const char *facts_row_driver(json_object *f)
{
	const char *driver = jstr(f, IGT_GUP_FACT_DRIVER, "");

	if (*driver)
		return driver;
	if (!strcmp(jstr(f, IGT_GUP_FACT_KIND, ""), IGT_GUP_KIND_PROBE))
		return jstr(f, IGT_GUP_FACT_CHECK, "-");
	return "-";
}

char *facts_row_path(json_object *f, const char *fallback)
{
	const char *path = jstr(f, IGT_GUP_FACT_PATH, "");
	char *row;

	if (!*path)
		return xstrdup(fallback);
	if (strcmp(jstr(f, IGT_GUP_FACT_CHECK, ""), IGT_GUP_CHECK_HUGE))
		return xstrdup(path);
	if (asprintf(&row, "%s-" IGT_GUP_CHECK_HUGE, path) < 0)
		die("out of memory");
	return row;
}

const char *facts_vmflags(json_object *f)
{
	json_object *maps = json_object_object_get(f, IGT_GUP_FACT_MAPPINGS);
	json_object *probes = json_object_object_get(f, IGT_GUP_FACT_PROBES);
	int m = 0;

	if (!json_object_is_type(maps, json_type_array) ||
	    !json_object_array_length(maps))
		return NULL;
	for (size_t i = 0; json_object_is_type(probes, json_type_array) &&
			   i < json_object_array_length(probes); i++) {
		json_object *p = json_object_array_get_idx(probes, i);

		if (!strcmp(jstr(p, IGT_GUP_FACT_P_OUTCOME, ""), "PINNED")) {
			m = jint(p, IGT_GUP_FACT_P_MAPPING, 0);
			break;
		}
	}
	if (m < 0 || (size_t)m >= json_object_array_length(maps))
		m = 0;
	return jstr(json_object_array_get_idx(maps, m),
		    IGT_GUP_FACT_MAP_VMFLAGS, NULL);
}
