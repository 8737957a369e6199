# SPDX-License-Identifier: GPL-2.0
# iobus-stress: out-of-tree module (see Kbuild) + userspace driver.
#   make module [KDIR=...] [W=1 C=1]   build module/iobus_stress.ko
#   make userspace                      build userspace/iobus-stress
#   make run [KERNEL=7.3|6.12|6.1] [RUN_ARGS="..."]  a stress run in a QEMU VM
#   make run ARCH=arm64 [KERNEL=...]   the stress run (7.3) and iobus-stress kvm in an arm64 QEMU VM (docs/arm64.md)
#   make check                          every test (VM runs included)
#   make bench                          iobus-stress beside rcutorture, rcuscale, refscale
#   make abtest PATCH=FILE [HZ=250] [PAIRS=8] [ARCH=arm64]  does a kernel patch cure it, safely?
#   make bench-abtest [RUNS=10]         abtest's false-positive and catch rates
#   make install [PREFIX=/usr/local] [DESTDIR=] [KDIR=...]  driver, and module
#   make dkms                           the module under DKMS (rebuilt on kernel upgrades)
#   make kselftest-install [DESTDIR=build/kselftest_install] [KDIR=...]  a kselftest collection
KDIR ?= /lib/modules/$(shell uname -r)/build
RUN_ARGS ?= --duration 10 --probe_us 2000
KERNEL ?= 7.3
HZ ?= 250
PAIRS ?= 8
PATCH ?=
ABTEST_ARGS ?=
RUNS ?= 10
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell cat $(CURDIR)/VERSION)
DKMS_SRC = $(DESTDIR)/usr/src/iobus-stress-$(VERSION)
KSFT_DIR = $(or $(DESTDIR),$(CURDIR)/build/kselftest_install)
KSFT_TESTS = kvm.sh run.sh matrix.sh

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

# The driver into PREFIX/bin; the module into KDIR's kernel's
# /lib/modules/RELEASE/updates when KDIR's headers are there (loudly not,
# otherwise: the driver's `kvm` needs no module), unsigned (a distribution's
# signing key is not ours; Secure Boot hosts enroll their own, as for any
# out-of-tree module), then depmod, which Debian's header trees skip for
# want of a System.map.
install: userspace
	install -D -m 0755 userspace/iobus-stress $(DESTDIR)$(PREFIX)/bin/iobus-stress
	@if [ -d "$(KDIR)" ]; then \
		rel=$$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h) && \
		$(MAKE) module && \
		$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
			INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= \
			modules_install && \
		depmod -b "$(or $(DESTDIR),/)" "$$rel" && \
		echo "make install: iobus_stress.ko for $$rel in $(DESTDIR)/lib/modules/$$rel/updates (modprobe iobus_stress)"; \
	else \
		echo "make install: no kernel headers at $(KDIR): installed the driver only (make install KDIR=..., or make dkms)"; \
	fi

# The module's sources under /usr/src/iobus-stress-VERSION, then DKMS builds
# and installs it for the running kernel and again for every kernel
# installed later (dkms.conf).  With DESTDIR, only the sources are placed
# (a package's postinst runs dkms).
dkms:
	@[ "$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)" = "$(VERSION)" ] || \
		{ echo "make dkms: dkms.conf's PACKAGE_VERSION is not VERSION ($(VERSION))" >&2; exit 1; }
	install -d $(DKMS_SRC)/module
	install -m 0644 Kbuild VERSION dkms.conf $(DKMS_SRC)/
	install -m 0644 $(wildcard module/*.c module/*.h) $(DKMS_SRC)/module/
	@if [ -z "$(DESTDIR)" ]; then \
		command -v dkms >/dev/null || { echo "make dkms: no dkms (apt-get install dkms)" >&2; exit 1; }; \
		dkms status -m iobus-stress -v $(VERSION) | grep -q . || dkms add -m iobus-stress -v $(VERSION); \
		dkms install -m iobus-stress -v $(VERSION); \
	fi

dkms-remove:
	dkms remove -m iobus-stress -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

# A kselftest collection, iobus-stress/, laid out as the kernel's `make -C
# tools/testing/selftests install` lays one out (docs/kselftest.md): the
# driver, a wrapper per test, config, settings, and iobus_stress.ko beside
# them when KDIR has headers; kselftest-list.txt and run_kselftest.sh at the
# top.  Into a kernel's installed kselftest tree (it has kselftest/runner.sh)
# its run_kselftest.sh is kept and the list gets our lines added.
kselftest-install: userspace
	install -d $(KSFT_DIR)/iobus-stress
	install -m 0755 userspace/iobus-stress $(addprefix kselftest/,$(KSFT_TESTS)) \
		$(KSFT_DIR)/iobus-stress/
	install -m 0644 kselftest/ksft_driver.sh kselftest/config kselftest/settings \
		$(KSFT_DIR)/iobus-stress/
	@if [ -f $(KSFT_DIR)/kselftest/runner.sh ]; then \
		echo "make kselftest-install: a kernel kselftest tree: its run_kselftest.sh kept"; \
	else \
		install -m 0755 kselftest/run_kselftest.sh $(KSFT_DIR)/; \
	fi
	@list=$(KSFT_DIR)/kselftest-list.txt; \
		{ [ ! -f $$list ] || grep -v '^iobus-stress:' $$list; \
		  printf 'iobus-stress:%s\n' $(KSFT_TESTS); } > $$list.new && mv $$list.new $$list
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) module && install -m 0644 module/iobus_stress.ko $(KSFT_DIR)/iobus-stress/ && \
		echo "make kselftest-install: $(KSFT_DIR), with iobus_stress.ko for $(KDIR)"; \
	else \
		rm -f $(KSFT_DIR)/iobus-stress/iobus_stress.ko; \
		echo "make kselftest-install: $(KSFT_DIR), no kernel headers at $(KDIR): no iobus_stress.ko (run.sh and matrix.sh use a loaded or modprobe-able one, else skip)"; \
	fi

run:
	ARCH=$(ARCH) KERNEL=$(KERNEL) scripts/make-run.sh $(RUN_ARGS)

check:
	scripts/make-check.sh

bench:
	scripts/bench/bench.sh

abtest:
	@[ -n "$(PATCH)" ] || { echo "make abtest: PATCH=FILE (several: PATCH=\"A.patch B.patch\")" >&2; exit 2; }
	scripts/abtest/abtest.sh $(foreach p,$(PATCH),--patch $(p)) --kernel $(KERNEL) \
		$(if $(ARCH),--arch $(ARCH)) --hz $(HZ) --pairs $(PAIRS) $(ABTEST_ARGS)

bench-abtest:
	scripts/abtest/bench-abtest.sh --runs $(RUNS) --safety-runs $(RUNS)

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
	@echo "  install          the driver to PREFIX/bin (PREFIX=$(PREFIX)), and the module"
	@echo "                   to /lib/modules/<KDIR's release>/updates when KDIR has headers"
	@echo "  dkms             the module under DKMS: built for the running kernel, and"
	@echo "                   again for each kernel installed later; dkms-remove undoes it"
	@echo "  kselftest-install  a kselftest collection (run_kselftest.sh, kselftest-list.txt,"
	@echo "                   iobus-stress/: kvm.sh, run.sh, matrix.sh, config, settings) in"
	@echo "                   DESTDIR=$(KSFT_DIR) (docs/kselftest.md)"
	@echo "  run              a stress run in a QEMU VM on Debian's stock KERNEL=$(KERNEL)"
	@echo "                   (ARCH=arm64: the run on 7.3, then iobus-stress kvm, docs/arm64.md)"
	@echo "                   (7.3, 6.12 or 6.1, fetched into ~/.cache/iobus-stress)"
	@echo "                   (RUN_ARGS='$(RUN_ARGS)' go to iobus-stress run)"
	@echo "  check            all tests: unit, build, checkpatch, VM runs on the"
	@echo "                   stock and the KASAN+lockdep kernel; 'N passed, N failed'"
	@echo "  bench            iobus-stress beside rcutorture, rcuscale and refscale in"
	@echo "                   one debug-kernel VM, then the stock kernels;"
	@echo "                   build/logs/bench.md and bench.json"
	@echo "  abtest           PATCH=FILE [HZ=250] [PAIRS=8]: A (Debian's linux-source-7.3)"
	@echo "                   against B (with the patch) on real KVM in QEMU, and B's"
	@echo "                   KASAN safety run: cures/improves/no-change/regresses/"
	@echo "                   breaks; build/abtest/NAME/report.md (docs/abtest.md)"
	@echo "                   (ARCH=arm64: cross-built arm64 kernels, KVM at EL2; timing only)"
	@echo "  bench-abtest     RUNS=10: abtest's false-positive rate (the comment-only"
	@echo "                   patch RUNS times) and KASAN catch rate (RUNS safety runs"
	@echo "                   of a patch that frees the bus early); build/abtest/bench/"
	@echo "  clean            remove build products"


.PHONY: all module modules_install userspace install dkms dkms-remove kselftest-install run check bench abtest bench-abtest clean help
