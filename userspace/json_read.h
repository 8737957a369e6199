/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver's JSON reader (Jansson underneath) for its result files: a
 * whole document into a tree, or one error naming where.
 */
#ifndef IOBUS_JSON_READ_H
#define IOBUS_JSON_READ_H

#include <stddef.h>

#define JSON_MAX_DEPTH 32		/* deeper nesting is an error */
#define JSON_MAX_BYTES (64u << 20)	/* a larger file is an error */
#define JSON_MAX_ABS 18446744073709551616.0	/* 2^64: |number| at or above is an error */

enum json_type {
	JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT,
};

struct json {
	enum json_type type;
	int boolean;		/* JV_BOOL */
	double number;		/* JV_NUMBER */
	char *string;		/* JV_STRING, UTF-8; \u0000 is refused */
	size_t n;		/* items of an array, members of an object */
	struct json *item;	/* n items (an object's values) */
	char **key;		/* JV_OBJECT: n keys, no two equal */
};

/*
 * Parse @len bytes of @text as one JSON value followed only by white
 * space (Jansson); 0 with *@out set (json_free() it), or -1 with @err set
 * to "LINE:COL: what" (a syntax error, or a NUL byte) or "$.path: what" (a
 * value this reader cannot hold).  Refused: trailing commas, comments,
 * leading zeros, NaN/Infinity, numbers that overflow a double, |numbers|
 * of 2^64 and over (as doubles: 2^64 - 1024 .. 2^64 - 1 round to 2^64),
 * raw control characters, invalid escapes or lone surrogates in strings,
 * \u0000, NUL bytes, duplicate keys, nesting deeper than JSON_MAX_DEPTH.
 */
int json_parse(const char *text, size_t len, struct json **out, char *err,
	       size_t errlen);
/*
 * Read and parse the file @path ("-" is stdin); EX_OK, EX_IO when it
 * cannot be read (or is over JSON_MAX_BYTES), EX_BADJSON when it is not
 * JSON; @err says why, with "LINE:COL: " for a parse error.
 */
int json_load(const char *path, struct json **out, char *err, size_t errlen);
/* The member @key of an object (NULL when absent or @obj is no object). */
const struct json *json_get(const struct json *obj, const char *key);
/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *json_type_name(enum json_type t);
void json_free(struct json *j);

#endif
