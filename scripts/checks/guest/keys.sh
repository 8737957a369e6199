# SPDX-License-Identifier: GPL-2.0
# The debugfs keys file (module/keys.h, the one list) against what the
# config file accepts: every key listed; each number key takes its LO and
# HI and refuses HI + 1 (and LO - 1); each enum key takes each listed name
# (expedite-current only where compat says srcu_expedite_current exists)
# and refuses a name not listed; and the config file shows the listed
# default after "defaults".  Also the key names the driver offers.
. /lib.sh
insmod /iobus_stress.ko
[ -r $D/keys ] || fail "no $D/keys"
n=0
try() { echo "defaults $1" > $D/config 2>/dev/null; }
tab=$(printf '\t')
while IFS="$tab" read -r name type allowed def unit help; do
	n=$((n + 1))
	[ -n "$help" ] || fail "keys line $n ($name): not 6 tab-separated fields"
	case $type in
	u32|u64)
		lo=${allowed%%..*} hi=${allowed##*..}
		try "$name=$lo" || fail "$name=$lo refused: keys says $allowed"
		try "$name=$hi" || fail "$name=$hi refused: keys says $allowed"
		if [ "$type" = u32 ]; then
			try "$name=$((hi + 1))" && fail "$name=$((hi + 1)) taken: keys says $allowed"
			[ "$lo" = 0 ] || ! try "$name=$((lo - 1))" ||
				fail "$name=$((lo - 1)) taken: keys says $allowed"
		else
			try "$name=18446744073709551616" && fail "$name=2^64 taken"
		fi
		;;
	enum)
		for v in $(echo "$allowed" | tr '|' ' '); do
			if [ "$v" = expedite-current ] && ! grep -q "srcu_expedite_current=yes" $D/compat; then
				try "$name=$v" && fail "$name=$v taken without srcu_expedite_current"
				continue
			fi
			try "$name=$v" || fail "$name=$v refused: keys lists it"
		done
		try "$name=no-such-name" && fail "$name=no-such-name taken"
		;;
	*) fail "keys line $n ($name): type '$type'" ;;
	esac
	# the default, as the config file shows it after "defaults"
	try "" || fail "defaults refused"
	grep -q "^$name=$def\$" $D/config || fail "$name: config shows '$(grep "^$name=" $D/config)', keys says default $def"
	echo "ok: $name $type $allowed default $def unit $unit"
done < $D/keys
[ "$n" -ge 20 ] || fail "only $n keys"
# the driver's flags: one per key (its list is compiled from the same keys.h)
for name in $(cut -f1 $D/keys); do
	flag=$(echo "$name" | tr _ -)
	/iobus-stress --help 2>&1 | grep -q -- "--$flag " || fail "the driver has no --$flag"
done
echo "ok: $n keys, each as listed; the driver has a flag for each"
rmmod iobus_stress
