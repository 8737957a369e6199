// SPDX-License-Identifier: GPL-2.0
/*
 * Harness-only module (not part of the product): WARN_ON(1) at load, so
 * that the console checker's self-test can see a splat make a run fail.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_on_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit warn_on_exit(void)
{
}

module_init(warn_on_init);
module_exit(warn_on_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iobus-stress harness self-test: a deliberate WARN_ON");
