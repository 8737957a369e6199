// SPDX-License-Identifier: GPL-2.0
/* Provenance: HZ from a config and from a measured rate, the JSON. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "output.h"
#include "provenance.h"

static void test_hz_from_config(void **state)
{
	(void)state;
	assert_int_equal(provenance_hz_from_config("CONFIG_HZ_250=y\nCONFIG_HZ=250\n"), 250);
	assert_int_equal(provenance_hz_from_config("# x\nCONFIG_HZ=1000"), 1000);
	/* not at the start of a line, or another symbol: no HZ */
	assert_int_equal(provenance_hz_from_config("XCONFIG_HZ=100\n"), 0);
	assert_int_equal(provenance_hz_from_config("CONFIG_HZ_100=y\n"), 0);
	assert_int_equal(provenance_hz_from_config("CONFIG_HZ=\n"), 0);
	assert_int_equal(provenance_hz_from_config("CONFIG_HZ=25x\n"), 0);
	assert_int_equal(provenance_hz_from_config(""), 0);
}

static void test_round_hz(void **state)
{
	(void)state;
	assert_int_equal(provenance_round_hz(249.0), 250);
	assert_int_equal(provenance_round_hz(260.0), 250);
	assert_int_equal(provenance_round_hz(98.0), 100);
	assert_int_equal(provenance_round_hz(1010.0), 1000);
	assert_int_equal(provenance_round_hz(301.0), 300);
	/* more than 20% from every usual HZ: unnamed */
	assert_int_equal(provenance_round_hz(500.0), 0);
	assert_int_equal(provenance_round_hz(0.0), 0);
}

/* The JSON object parses, and says what was collected. */
static void test_json(void **state)
{
	struct provenance p;
	char *argv[] = { "iobus-stress", "kvm", "--json", "a \"b\".json" };
	char *buf = NULL, err[200];
	size_t len = 0;
	struct json *doc;
	FILE *f = open_memstream(&buf, &len);
	const struct json *pv;
	json_t *doc_out;
	static const char *const keys[] = {
		"version", "kernel", "machine", "hz", "hz_source", "clocksource",
		"kvm_backend", "kvm_nested", "cpu_model", "cpus", "virtualized",
		"date", "command",
	};
	int i;

	(void)state;
	provenance_collect(&p, 4, argv, 0);
	assert_non_null(f);
	doc_out = json_object();
	assert_int_equal(jw_set(doc_out, "provenance", provenance_json(&p)), 0);
	assert_int_equal(jw_dump(doc_out, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(json_parse(buf, len, &doc, err, sizeof(err)), 0);
	pv = json_get(doc, "provenance");
	assert_non_null(pv);
	/* the members, in the order they always had, of the types they had */
	assert_int_equal(pv->n, 13);
	for (i = 0; i < 13; i++)
		assert_string_equal(pv->key[i], keys[i]);
	assert_true(json_get(pv, "hz")->number == p.hz);
	assert_int_equal(json_get(pv, "kvm_nested")->type, JV_BOOL);
	assert_int_equal(json_get(pv, "virtualized")->boolean, p.virtualized);
	assert_string_equal(json_get(pv, "cpu_model")->string, p.cpu_model);
	assert_string_equal(json_get(pv, "hz_source")->string, p.hz_source);
	assert_string_equal(json_get(pv, "command")->string,
			    "iobus-stress kvm --json a \"b\".json");
	assert_string_equal(json_get(pv, "kernel")->string, p.kernel);
	assert_true(json_get(pv, "cpus")->number >= 1);
	assert_non_null(strstr(json_get(pv, "version")->string, "0.3.0"));
	assert_int_equal(strlen(json_get(pv, "date")->string), 20);
	json_free(doc);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hz_from_config),
		cmocka_unit_test(test_round_hz),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
