# SPDX-License-Identifier: GPL-2.0
# Sourced by the collection's tests (kvm.sh, run.sh, matrix.sh), from the
# collection's directory: run ./iobus-stress with --tap and turn its exit
# code into kselftest's.  The driver's 0 (pass), 1 (a verdict failed) and 4
# (its --tap skip: "1..0 # SKIP reason") are kselftest's already; its 2 is a
# bad flag, which kselftest would read as XFAIL, so it becomes a failure.

KSFT_FAIL=1
KSFT_SKIP=4

ksft_skip() {	# REASON: KTAP's skip of the whole test
	echo "KTAP version 1"
	echo "1..0 # SKIP $*"
	exit "$KSFT_SKIP"
}

# driver COMMAND [ARGS...]: ./iobus-stress COMMAND --tap ARGS...; returns
# kselftest's code.  (Plain sh: no `local`; ksft_* are the script's.)
driver() {
	ksft_cmd=$1
	shift
	./iobus-stress "$ksft_cmd" --tap "$@"
	ksft_rc=$?
	case $ksft_rc in
	0|1|4) return "$ksft_rc" ;;
	2) echo "# iobus-stress $ksft_cmd: exit 2 (a bad flag or value): a failure, not kselftest's XFAIL"
	   return "$KSFT_FAIL" ;;
	*) echo "# iobus-stress $ksft_cmd: exit $ksft_rc (iobus-stress --help lists the codes)"
	   return "$KSFT_FAIL" ;;
	esac
}

# with_module COMMAND [ARGS...]: driver COMMAND with the module iobus_stress.
# Already loaded: used as it is.  Otherwise the driver loads
# iobus_stress.ko from beside itself, or, as root with debugfs mounted,
# modprobe loads an installed one (make install, make dkms); a module this
# test loaded is unloaded after it.  A kernel without module support, or
# no module anywhere, is a skip (the driver names the reason when it is
# its own: not root, no debugfs, no module).
with_module() {
	ksft_loaded=''
	[ -d /sys/module/iobus_stress ] && ksft_loaded=1
	if [ -z "$ksft_loaded" ]; then
		[ -e /proc/modules ] ||
			ksft_skip "module iobus_stress is not loaded and this kernel has no module support (CONFIG_MODULES=n; see config)"
		if [ ! -e iobus_stress.ko ] && [ "$(id -u)" = 0 ] &&
		   grep -q " /sys/kernel/debug debugfs " /proc/mounts; then
			modprobe -q iobus_stress 2>/dev/null
		fi
	fi
	driver "$@"
	ksft_mrc=$?
	if [ -z "$ksft_loaded" ] && [ -d /sys/module/iobus_stress ]; then
		rmmod iobus_stress || echo "# rmmod iobus_stress failed: the module this test loaded stays loaded"
	fi
	return "$ksft_mrc"
}
