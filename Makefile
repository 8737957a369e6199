# SPDX-License-Identifier: GPL-2.0
# iobus-stress: out-of-tree module (see Kbuild) + userspace driver.
#   make module [KDIR=...] [W=1 C=1]   build module/iobus_stress.ko
#   make userspace                      build userspace/iobus-stress
#   make run [KERNEL=7.3|6.12|6.1] [RUN_ARGS="..."]  a stress run in a QEMU VM
#   make check                          every test (VM runs included)
#   make bench                          iobus-stress beside rcutorture, rcuscale, refscale
KDIR ?= /lib/modules/$(shell uname -r)/build
RUN_ARGS ?= --duration 10 --probe_us 2000
KERNEL ?= 7.3

# The driver always; the module when KDIR's headers are there (the driver's
# `kvm` command needs no module, so a host without headers still gets it).
all: userspace
	@if [ -d "$(KDIR)" ]; then $(MAKE) module; else \
		echo "make: no kernel headers at $(KDIR): built the driver only (make module KDIR=... for the module)"; fi

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

userspace:
	$(MAKE) -C userspace

run:
	KERNEL=$(KERNEL) scripts/make-run.sh $(RUN_ARGS)

check:
	scripts/make-check.sh

bench:
	scripts/bench/bench.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	$(MAKE) -C userspace clean
	rm -rf build module/*.o module/.*.cmd module/*.ko module/*.mod \
		module/*.mod.c scripts/vm/guest/vm-exit

help:
	@echo "targets:"
	@echo "  module           build module/iobus_stress.ko against KDIR=$(KDIR)"
	@echo "  modules_install  install it into /lib/modules of KDIR's kernel"
	@echo "  userspace        build the static driver userspace/iobus-stress"
	@echo "  run              a stress run in a QEMU VM on Debian's stock KERNEL=$(KERNEL)"
	@echo "                   (7.3, 6.12 or 6.1, fetched into ~/.cache/iobus-stress)"
	@echo "                   (RUN_ARGS='$(RUN_ARGS)' go to iobus-stress run)"
	@echo "  check            all tests: unit, build, checkpatch, VM runs on the"
	@echo "                   stock and the KASAN+lockdep kernel; 'N passed, N failed'"
	@echo "  bench            iobus-stress beside rcutorture, rcuscale and refscale in"
	@echo "                   one debug-kernel VM, then the stock kernels;"
	@echo "                   build/logs/bench.md and bench.json"
	@echo "  clean            remove build products"

.PHONY: all module modules_install userspace run check bench clean help
