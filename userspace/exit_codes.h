/* SPDX-License-Identifier: GPL-2.0 */
/* Exit codes of iobus-stress (README.md and `iobus-stress --help` list them). */
#ifndef IOBUS_EXIT_CODES_H
#define IOBUS_EXIT_CODES_H

enum {
	EX_OK = 0,
	EX_FAIL = 1,		/* a verdict or cell failed */
	EX_USAGE = 2,		/* unknown flag or bad value */
	EX_MISMATCH = 2,	/* compare: different kinds, missing cells or metrics */
	EX_NOROOT = 3,
	EX_SKIP = 4,		/* --tap: no root, debugfs, module or /dev/kvm */
	EX_NODEBUGFS = 5,
	EX_NOMODULE = 6,	/* not loaded and not found */
	EX_BUSY = 7,
	EX_REJECTED = 8,	/* the module refused the config (EINVAL) */
	EX_IO = 9,		/* a read or write failed */
	EX_LOADFAIL = 10,	/* the module was found but did not load */
	EX_BADJSON = 11,	/* compare: an input is not JSON or not a result */
	EX_NOKVM = 12,		/* kvm: /dev/kvm missing, or no VM/vCPU */
	EX_KVM = 13,		/* kvm: a KVM ioctl failed during the run */
	EX_SIGNAL = 128,	/* + the signal number: interrupted */
};

#endif
