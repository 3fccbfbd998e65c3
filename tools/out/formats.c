// SPDX-License-Identifier: MIT
/*
 * The formats of `sockscope report --format`: one line each, one file
 * each in this folder.
 */
#include "out/out.h"

#include <stdio.h>
#include <string.h>

static const struct ss_format text = { "text", NULL, ss_out_text, 0,
				       "tables for a person (default)" };
static const struct ss_format json = { "json", NULL, ss_out_json, 0,
				       "one object (docs/report.schema.json)" };

static const struct ss_format html = { "html", ss_html_begin, ss_out_html, 0,
				       "one page with a timeline and plots, for a browser" };

static const struct ss_format pcapng = { "pcapng", ss_out_pcapng_begin, ss_out_pcapng_end, 1,
					 "packets synthesized from the calls, for Wireshark" };

static const struct ss_format *const formats[] = {
	&text,
	&json,
	&html,
	&pcapng,
	&ss_format_chrome,
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

const struct ss_format *ss_format_find(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcmp(formats[i]->name, name))
			return formats[i];
	return NULL;
}

const char *ss_format_names(void)
{
	static char names[256];

	if (!names[0])
		for (size_t i = 0; i < NFORMATS; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", formats[i]->name);
	return names;
}
