/* SPDX-License-Identifier: GPL-2.0 */
/* iobus-stress kvm: the experiments through /dev/kvm. */
#ifndef IOBUS_KVM_H
#define IOBUS_KVM_H

/* argv[0] = "kvm"; returns the exit code. */
int cmd_kvm(int argc, char **argv);

#endif
