// SPDX-License-Identifier: GPL-2.0
/*
 * vm-exit: tell QEMU how the guest's test ended, so that it exits with a
 * status a clean poweroff or a panic (status 0) can never be mistaken for.
 *   vm-exit pass  -> host status 33
 *   vm-exit fail  -> host status 35
 * x86: QEMU's isa-debug-exit device (iobase 0xf4), which exits with status
 * (value << 1) | 1: 0x10 and 0x11.  arm64 (built with aarch64-linux-gnu-gcc):
 * a semihosting SYS_EXIT with ADP_Stopped_ApplicationExit and the status
 * itself (QEMU's -semihosting-config enable=on,target=native,userspace=on,
 * scripts/vm/run-vm.sh --arch arm64).
 */
#include <stdio.h>
#include <string.h>
#ifndef __aarch64__
#include <sys/io.h>
#endif

#ifdef __aarch64__
/* Semihosting SYS_EXIT (0x18), HLT #0xf000 in AArch64; returns only when refused. */
static int semihost_exit(unsigned long status)
{
	unsigned long block[2] = { 0x20026, status };	/* ADP_Stopped_ApplicationExit */
	register unsigned long x0 __asm__("x0") = 0x18;
	register unsigned long x1 __asm__("x1") = (unsigned long)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return 1;
}
#endif

int main(int argc, char **argv)
{
	unsigned char v;

	if (argc != 2 || (strcmp(argv[1], "pass") && strcmp(argv[1], "fail"))) {
		fprintf(stderr, "usage: vm-exit pass|fail\n");
		return 2;
	}
#ifdef __aarch64__
	(void)v;
	return semihost_exit(strcmp(argv[1], "pass") ? 35 : 33);
#else
	v = strcmp(argv[1], "pass") ? 0x11 : 0x10;
	if (ioperm(0xf4, 1, 1)) {
		perror("vm-exit: ioperm(0xf4)");
		return 1;
	}
	outb(v, 0xf4);
	return 1;	/* not reached when the device exists */
#endif
}
