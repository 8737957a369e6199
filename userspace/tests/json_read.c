// SPDX-License-Identifier: GPL-2.0
/* The JSON reader: what it accepts, and one clear error for what it must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_codes.h"
#include "json_read.h"

static char err[256];

static struct json *ok(const char *s)
{
	struct json *j = NULL;

	err[0] = '\0';
	if (json_parse(s, strlen(s), &j, err, sizeof(err)))
		fail_msg("'%s' refused: %s", s, err);
	return j;
}

/* @s must be refused with an error containing @want. */
static void bad_len(const char *s, size_t len, const char *want)
{
	struct json *j = (struct json *)1;

	err[0] = '\0';
	if (!json_parse(s, len, &j, err, sizeof(err)))
		fail_msg("'%s' accepted (wanted: %s)", s, want);
	assert_null(j);
	if (!strstr(err, want))
		fail_msg("'%s': error '%s' does not say '%s'", s, err, want);
}

static void bad(const char *s, const char *want)
{
	bad_len(s, strlen(s), want);
}

static void test_values(void **state)
{
	struct json *j = ok(" {\"a\": [1, -0, 2.5e3, true, false, null, \"x\"],\n"
			    "  \"b\": {\"c\": {}}, \"d\": [], \"e\": 18446744073709551615} ");
	const struct json *a = json_get(j, "a");

	(void)state;
	assert_int_equal(j->type, JSON_OBJECT);
	assert_int_equal(j->n, 4);
	assert_int_equal(a->type, JSON_ARRAY);
	assert_int_equal(a->n, 7);
	assert_true(a->item[0].number == 1);
	assert_true(a->item[1].number == 0);
	assert_true(a->item[2].number == 2500);
	assert_int_equal(a->item[3].type, JSON_BOOL);
	assert_int_equal(a->item[3].boolean, 1);
	assert_int_equal(a->item[4].boolean, 0);
	assert_int_equal(a->item[5].type, JSON_NULL);
	assert_string_equal(a->item[6].string, "x");
	assert_int_equal(json_get(json_get(j, "b"), "c")->type, JSON_OBJECT);
	assert_int_equal(json_get(j, "d")->n, 0);
	assert_true(json_get(j, "e")->number == 18446744073709551616.0);
	assert_null(json_get(j, "zz"));
	assert_null(json_get(a, "a"));		/* not an object */
	json_free(j);
}

static void test_strings(void **state)
{
	struct json *j = ok("[\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20ac\", \"\\ud83d\\ude00\", \"caf\xc3\xa9\"]");

	(void)state;
	assert_string_equal(j->item[0].string, "q\"b\\s/\b\f\n\r\t");
	assert_string_equal(j->item[1].string, "\xc3\xa9\xe2\x82\xac");
	assert_string_equal(j->item[2].string, "\xf0\x9f\x98\x80");
	assert_string_equal(j->item[3].string, "caf\xc3\xa9");
	json_free(j);
}

static void test_malformed(void **state)
{
	(void)state;
	bad("", "1:1: no JSON value (empty input)");
	bad("  \n ", "no JSON value");
	bad("{\"a\": [1, 2", "the end of the input");
	bad("{\"a\": [1, 2", "1:12:");
	bad("{\"a\"", "expected ':'");
	bad("{\"a\":", "expected a value, found the end of the input");
	bad("\"abc", "unterminated string");
	bad("[1,]", "expected a value, found ']'");
	bad("{\"a\": 1,}", "expected a key");
	bad("{1: 2}", "expected a key");
	bad("{\"a\" 1}", "expected ':' after a key, found '1'");
	bad("[1 2]", "expected ',' or ']' in an array, found '2'");
	bad("{\"a\": 1 \"b\": 2}", "expected ',' or '}' in an object");
	bad("[1] [2]", "'[' after the JSON value");
	bad("truex", "'x' after the JSON value");
	bad("nul", "expected a value");
	bad("NaN", "expected a value, found 'N'");
	bad("Infinity", "expected a value");
	bad("'a'", "expected a value, found '''");
	bad("[1] // c", "'/' after the JSON value");
	bad("{\"a\": 1, \"a\": 2}", "duplicate key \"a\"");
	bad("\"a\tb\"", "control character 0x09");
	bad("\"a\nb\"", "control character 0x0a");
	bad("\"\\x\"", "invalid escape");
	bad("\"\\u12g4\"", "4 hex digits");
	bad("\"\\ud800\"", "without its low half");
	bad("\"\\ud800\\u0041\"", "without its low half");
	bad("\"\\udc00\"", "lone low surrogate");
	bad("\"\\u0000\"", "\\u0000");
	bad_len("[1,\0 2]", 7, "found a NUL byte");
	bad("{\n  \"a\": x\n}", "2:8: expected a value, found 'x'");
}

static void test_wrong_numbers(void **state)
{
	char big[500];

	(void)state;
	bad("007", "leading zero");
	bad("-", "without digits");
	bad("-a", "without digits");
	bad("+1", "expected a value, found '+'");
	bad(".5", "expected a value, found '.'");
	bad("1.", "no digits after the decimal point");
	bad("1.e3", "no digits after the decimal point");
	bad("1e", "no digits in the exponent");
	bad("1e+", "no digits in the exponent");
	bad("0x10", "'x' after the JSON value");
	/* huge: overflow, beyond 2^64, underflow */
	bad("1e999", "out of range");
	bad("-1e999", "out of range");
	bad("[1, 18446744073709551617000]", "1:5: number 18446744073709551617000 out of range");
	bad("1e-400", "out of range");
	memset(big, '9', 400);
	big[400] = '\0';
	bad(big, "out of range");
	json_free(ok("1e-300"));
	json_free(ok("-18446744073709551615"));
	/* exactly 2^64, in any spelling, is over a u64 */
	bad("18446744073709551616", "number 18446744073709551616 out of range");
	bad("-18446744073709551616", "out of range");
	bad("1.8446744073709551616e19", "out of range");
	bad("18446744073709551616.0", "out of range");
}

static void test_depth(void **state)
{
	char s[2 * JSON_MAX_DEPTH + 3];
	int i;

	(void)state;
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		s[i] = '[';
		s[JSON_MAX_DEPTH + i] = ']';
	}
	s[2 * JSON_MAX_DEPTH] = '\0';
	json_free(ok(s));			/* 32 levels: fine */
	memmove(s + 1, s, 2 * JSON_MAX_DEPTH + 1);
	s[0] = '[';
	memmove(s + 2 * JSON_MAX_DEPTH + 1, "]", 2);
	bad(s, "nesting deeper than 32");	/* 33 */
	bad("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	    "nesting deeper than 32");	/* truncated and deep: the depth first */
	bad("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}",
	    "nesting deeper than 32");
}

static void test_load(void **state)
{
	char path[] = "/tmp/iobus-json-XXXXXX";
	struct json *j = NULL;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\"tool\": \"iobus-stress\", \"runs\": [\n", f);
	fclose(f);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_BADJSON);
	assert_null(j);
	assert_non_null(strstr(err, "2:1: expected a value, found the end of the input"));
	f = fopen(path, "w");
	fputs("{\"tool\": \"iobus-stress\"}\n", f);
	fclose(f);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_OK);
	assert_string_equal(json_get(j, "tool")->string, "iobus-stress");
	json_free(j);
	unlink(path);
	assert_int_equal(json_load(path, &j, err, sizeof(err)), EX_IO);
	assert_non_null(strstr(err, "cannot open: No such file"));
	assert_int_equal(json_load("/", &j, err, sizeof(err)), EX_IO);
	assert_non_null(strstr(err, "cannot read"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_wrong_numbers),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
