// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "config_keys.h"

static char err[256];

static void test_key_find(void **state)
{
	(void)state;
	assert_non_null(key_find("--block-len"));
	assert_string_equal(key_find("block_len")->name, "block_len");
	assert_null(key_find("--nosuch"));
}

static void test_validate(void **state)
{
	const struct key_spec *r = key_find("reclaim"), *n = key_find("readers");

	(void)state;
	assert_int_equal(key_validate(r, "call-srcu", err, sizeof(err)), 0);
	assert_int_equal(key_validate(r, "call", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "allowed: sync-expedited|"));
	assert_int_equal(key_validate(n, "64", err, sizeof(err)), 0);
	assert_int_equal(key_validate(n, "65", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0..64"));
	assert_int_equal(key_validate(n, "-1", err, sizeof(err)), -1);
	assert_int_equal(key_validate(n, "1e3", err, sizeof(err)), -1);
	assert_int_equal(key_validate(n, "", err, sizeof(err)), -1);
	/* decimal only: 010 is ten, 0x10 is refused */
	assert_int_equal(key_validate(key_find("seed"), "0x10", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "decimal"));
	assert_int_equal(key_validate(n, "010", err, sizeof(err)), 0);
	assert_int_equal(key_validate(n, "+1", err, sizeof(err)), -1);
	assert_int_equal(key_validate(n, " 1", err, sizeof(err)), -1);
	assert_int_equal(key_validate(key_find("seed"), "18446744073709551615", err, sizeof(err)), 0);
	assert_int_equal(key_validate(key_find("seed"), "18446744073709551616", err, sizeof(err)), -1);
}

static void test_kv_set(void **state)
{
	struct kv_set s = { 0 };
	char buf[256];

	(void)state;
	assert_int_equal(kv_set_put(&s, "readers", "4", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "block-len", "8", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "readers", "3", err, sizeof(err)), 0);
	assert_int_equal(kv_set_put(&s, "bogus", "3", err, sizeof(err)), -1);
	assert_string_equal(err, "unknown option --bogus");
	assert_int_equal(s.n, 2);
	assert_int_equal(kv_set_format(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "defaults readers=3 block_len=8");
	assert_int_equal(kv_set_format(&s, buf, 10), -1);
}

static void test_list(void **state)
{
	char (*items)[64];
	char many[1024] = "exit";
	int i;

	(void)state;
	assert_int_equal(list_parse(key_find("pattern"), "exit,cached", &items, err, sizeof(err)), 2);
	assert_string_equal(items[1], "cached");
	free(items);
	assert_int_equal(list_parse(key_find("pattern"), "exit,nope", &items, err, sizeof(err)), -1);
	assert_null(items);
	assert_int_equal(list_parse(key_find("pattern"), ",", &items, err, sizeof(err)), -1);
	for (i = 0; i < 40; i++)	/* no cap on the number of items */
		strcat(many, ",block");
	assert_int_equal(list_parse(key_find("pattern"), many, &items, err, sizeof(err)), 41);
	free(items);
}

/* The one list of reclaim and pattern names is what the keys accept. */
static void test_shared_lists(void **state)
{
	char vals[256];
	int i;

	(void)state;
	for (i = 0; reclaim_names[i]; i++)
		assert_int_equal(key_validate(key_find("reclaim"), reclaim_names[i], err, sizeof(err)), 0);
	assert_int_equal(i, 8);
	assert_string_equal(key_values(key_find("pattern"), vals, sizeof(vals)), "exit|block|cached");
	assert_true(reclaim_is_control("unsafe"));
	assert_false(reclaim_is_control("call-srcu"));
	assert_string_equal(key_flag(key_find("early_devices"), vals, sizeof(vals)), "early-devices");
}

/* The keys file a module built from this tree shows (module/config.c). */
static char *module_keys_text(void)
{
	static char text[16384];
	char vals[512];
	size_t i, pos = 0;

	for (i = 0; i < n_key_specs; i++) {
		const struct key_spec *k = &key_specs[i];

		if (k->values)
			pos += snprintf(text + pos, sizeof(text) - pos,
					"%s\tenum\t%s\t%s\t-\thelp text\n", k->name,
					key_values(k, vals, sizeof(vals)),
					k->values[0]);
		else
			pos += snprintf(text + pos, sizeof(text) - pos,
					"%s\t%s\t%llu..%llu\t1\tus\thelp\n", k->name,
					k->max == ~0ULL ? "u64" : "u32", k->min,
					k->max);
		assert_true(pos < sizeof(text));
	}
	return text;
}

/* Replace the first @from in @text by @to (in place, @text is big enough). */
static void edit(char *text, const char *from, const char *to)
{
	char *p = strstr(text, from), tail[16384];

	assert_non_null(p);
	snprintf(tail, sizeof(tail), "%s", p + strlen(from));
	sprintf(p, "%s%s", to, tail);
}

static void test_keys_compare(void **state)
{
	char err[400], *t;
	char vals[512];

	(void)state;
	t = module_keys_text();
	assert_int_equal(keys_compare(t, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(keys_compare("", err, sizeof(err)), 1);
	assert_non_null(strstr(err, ": here only"));
	assert_non_null(strstr(err, "more"));
	/* a range of another version (modinfo once said devices 1..1000) */
	t = module_keys_text();
	edit(t, "devices\tu32\t1..2000", "devices\tu32\t1..1000");
	assert_int_equal(keys_compare(t, err, sizeof(err)), 1);
	assert_string_equal(err, "devices: 1..1000 in the module, 1..2000 here");
	/* a strategy the driver does not know, a key it lacks, one it has */
	t = module_keys_text();
	key_values(key_find("reclaim"), vals, sizeof(vals));
	edit(t, vals, "sync|newer");
	edit(t, "devices\t", "devicez\t");
	assert_int_equal(keys_compare(t, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "reclaim: sync|newer in the module, sync-expedited|"));
	assert_non_null(strstr(err, "devicez: in the module only"));
	assert_non_null(strstr(err, "devices: here only"));
	/* an enum where a number was */
	t = module_keys_text();
	edit(t, "devices\tu32\t1..2000", "devices\tenum\ta|b");
	assert_int_equal(keys_compare(t, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "devices: a name list in the module"));
	/* not a keys file */
	assert_int_equal(keys_compare("devices 1..2000\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "keys line 1 is not"));
	t = module_keys_text();
	edit(t, "1..2000", "1-2000");
	assert_int_equal(keys_compare(t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "range '1-2000' is not LO..HI"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_find),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_kv_set),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_shared_lists),
		cmocka_unit_test(test_keys_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
