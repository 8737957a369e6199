// SPDX-License-Identifier: GPL-2.0
/*
 * vm-exit: tell QEMU's isa-debug-exit device (iobase 0xf4) how the guest's
 * test ended.  QEMU exits with status (value << 1) | 1, so a clean poweroff
 * or a panic (status 0) can never be mistaken for a pass.
 *   vm-exit pass  -> 0x10 -> host status 33
 *   vm-exit fail  -> 0x11 -> host status 35
 */
#include <stdio.h>
#include <string.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned char v;

	if (argc != 2 || (strcmp(argv[1], "pass") && strcmp(argv[1], "fail"))) {
		fprintf(stderr, "usage: vm-exit pass|fail\n");
		return 2;
	}
	v = strcmp(argv[1], "pass") ? 0x11 : 0x10;
	if (ioperm(0xf4, 1, 1)) {
		perror("vm-exit: ioperm(0xf4)");
		return 1;
	}
	outb(v, 0xf4);
	return 1;	/* not reached when the device exists */
}
