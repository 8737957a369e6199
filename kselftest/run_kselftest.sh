#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run_kselftest.sh: runs the tests of kselftest-list.txt beside it with the
# protocol of the kernel's tools/testing/selftests/run_kselftest.sh and
# kselftest/runner.sh, written for iobus-stress (docs/kselftest.md): each
# line COLLECTION:TEST runs ./TEST in COLLECTION/ under the timeout of
# COLLECTION/settings (45 s without one), its output prefixed "# ", its exit
# code read as kselftest's (0 pass, 4 skip, 2 xfail, else fail; 124 is the
# timeout); KTAP on stdout, "# Totals: ..." last; exit 1 when a test failed.
# The kernel's own run_kselftest.sh runs the same collection when it is
# installed into a kselftest tree (make kselftest-install DESTDIR=THAT_TREE).
BASE_DIR=$(cd "$(dirname "$0")" && pwd -P) || exit 1
LIST=$BASE_DIR/kselftest-list.txt
KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_SKIP=4
TIMEOUT_RC=124
default_timeout=45

usage() {
	cat <<EOF
Usage: $0 [OPTIONS]
  -s | --summary                 only the results on stdout; tests' output in output.log
  -t | --test COLLECTION:TEST    run TEST from COLLECTION (repeatable)
  -c | --collection COLLECTION   run every test of COLLECTION (repeatable)
  -S | --skip COLLECTION:TEST    leave TEST out (repeatable)
  -l | --list                    list the COLLECTION:TEST entries
  -o | --override-timeout SECS   each test's timeout, instead of settings'
  -f | --no-error-on-fail        exit 0 even when tests failed
  -h | --help                    this text
A test's extra arguments: KSELFTEST_<TEST, upper case, [^A-Z0-9_] as _>_ARGS
(run.sh: KSELFTEST_RUN_SH_ARGS="--duration 10").
EOF
	exit "$1"
}

summary='' tests='' colls='' skips='' override='' list='' error_on_fail=1
# $selected, $tests, $colls, $skips: words (no entry has a space)
while [ $# -gt 0 ]; do
	case $1 in
	-s|--summary) summary=1 ;;
	-t|--test|-c|--collection|-S|--skip|-o|--override-timeout)
		[ $# -ge 2 ] || usage 1
		case $1 in
		-t|--test) tests="$tests $2" ;;
		-c|--collection) colls="$colls $2" ;;
		-S|--skip) skips="$skips $2" ;;
		*) case $2 in ''|*[!0-9]*) echo "$0: $1 takes seconds, not '$2'" >&2; exit 1 ;; esac
		   override=$2 ;;
		esac
		shift ;;
	-l|--list) list=1 ;;
	-f|--no-error-on-fail) error_on_fail= ;;
	-h|--help) usage 0 ;;
	*) usage 1 ;;
	esac
	shift
done

[ -r "$LIST" ] || { echo "$0: cannot read the list of tests, $LIST" >&2; exit 1; }
available=$(grep -E '^[^#[:space:]]+:[^[:space:]]+$' "$LIST")
if [ -n "$list" ]; then
	printf '%s\n' "$available"
	exit 0
fi

# The selection: -c's collections and -t's tests, else every test; less -S's.
selected=
for c in $colls; do
	found=$(printf '%s\n' "$available" | awk -F: -v c="$c" '$1 == c')
	[ -n "$found" ] || { echo "No such collection '$c'" >&2; exit 1; }
	selected="$selected $found"
done
for t in $tests; do
	printf '%s\n' "$available" | grep -qxF "$t" || { echo "No such test '$t'" >&2; exit 1; }
	selected="$selected $t"
done
[ -n "$colls$tests" ] || selected=$available
for s in $skips; do
	# shellcheck disable=SC2086
	selected=$(printf '%s\n' $selected | grep -vxF "$s")
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# fd 4: where the tests' own output goes (stdout, or output.log with -s).
if [ -n "$summary" ]; then
	exec 4>"$BASE_DIR/output.log" || exit 1
else
	exec 4>&1
fi

n=0 pass=0 fail=0 xfail=0 skip=0

# The timeout: a watchdog of our own that signals the test's whole process
# group (the test runs under setsid), the same with util-linux's and
# busybox's tools.  (Busybox's timeout has no --foreground, signals only its
# child and exits 143; GNU timeout, which the kernel's runner uses, exits
# without its KILL once the test's first process is gone, and a child that
# ignored TERM keeps the output open.)  Without setsid, GNU timeout; with
# neither, none.
if command -v setsid >/dev/null; then
	tmode=setsid
elif timeout --foreground 5 true 2>/dev/null; then
	tmode=gnu
else
	tmode=none
fi

# prefix: the test's output as KTAP diagnostics ("# "), streamed; remembers
# the reason of a "1..0 # SKIP reason" line for the result line.
prefix() {
	: >"$tmp/reason"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
		case $line in
		"1..0 # SKIP"*) r=${line#"1..0 # SKIP"}; printf '%s\n' "${r# }" >"$tmp/reason" ;;
		esac
	done
}

# Plain sh, no `local`: the functions' variables are the script's.
timeout_of() {	# COLLECTION: the last timeout=N of its settings
	t=$(sed -n 's/^timeout=\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$BASE_DIR/$1/settings" 2>/dev/null | tail -n 1)
	echo "${t:-$default_timeout}"
}

result() {	# ok|not ok, description, directive
	n=$((n + 1))
	echo "$1 $n $2${3:+ # $3}"
}

run_one() {	# COLLECTION TEST
	coll=$1 test=$2 desc="selftests: $1: $2"
	if [ -n "$override" ]; then
		secs=$override
		echo "# overriding timeout to $secs" >&4
	else
		secs=$(timeout_of "$coll")
		echo "# timeout set to $secs" >&4
	fi
	echo "# $desc"
	if [ ! -f "$BASE_DIR/$coll/$test" ] || [ ! -x "$BASE_DIR/$coll/$test" ]; then
		echo "# Warning: $coll/$test is missing or not executable" >&4
		result "not ok" "$desc"
		fail=$((fail + 1))
		return
	fi
	var=KSELFTEST_$(printf '%s' "$test" | tr -c '[:alnum:]_' '_' | tr '[:lower:]' '[:upper:]')_ARGS
	args=
	eval "args=\${$var:-}"
	echo 1 >"$tmp/rc"
	rm -f "$tmp/fired"
	(
		cd "$BASE_DIR/$coll" || exit 1
		# shellcheck disable=SC2086 # $args: words, as the kernel's runner
		case $tmode in
		gnu)	# The inner timeout signals the test's process group
			# (KILL 10 s after TERM); the outer one stays in the
			# terminal's group, so that a ^C reaches it.
			timeout --foreground "$secs" \
				timeout -k 10 "$secs" "./$test" $args </dev/null 2>&1 4>&- ;;
		setsid)	# Its own session and process group (pid = pgid: a
			# background job here is no group leader, so setsid
			# does not fork); a ^C or TERM to us goes on to it.
			setsid "./$test" $args </dev/null 2>&1 4>&- &
			pid=$!
			# The watchdog: TERM to the test's group after secs,
			# KILL 10 s later; under setsid too, so that killing
			# its group ends its sleeps with it.
			# shellcheck disable=SC2016 # its own $1 $2 $3
			setsid sh -c 'sleep "$1"; : >"$3"; kill -TERM "-$2"
				sleep 10; kill -KILL "-$2"' \
				sh "$secs" "$pid" "$tmp/fired" </dev/null >/dev/null 2>&1 4>&- &
			dog=$!
			trap 'kill -TERM "-$pid" "-$dog" 2>/dev/null; exit 130' INT
			trap 'kill -TERM "-$pid" "-$dog" 2>/dev/null; exit 143' TERM
			wait "$pid"
			rc=$?
			kill -TERM "-$dog" 2>/dev/null
			if [ -e "$tmp/fired" ]; then
				# what is left of it (it ignored TERM) goes now
				kill -KILL "-$pid" 2>/dev/null
				rc=$TIMEOUT_RC
			fi
			(exit "$rc") ;;
		*)	"./$test" $args </dev/null 2>&1 4>&- ;;
		esac
		echo $? >"$tmp/rc"
	) 2>&1 | prefix >&4	# 2>&1: the shell's own "Terminated" too
	rc=$(cat "$tmp/rc")
	reason=$(cat "$tmp/reason")
	case $rc in
	"$KSFT_PASS") result ok "$desc"; pass=$((pass + 1)) ;;
	"$KSFT_SKIP") result ok "$desc" "SKIP${reason:+ $reason}"; skip=$((skip + 1)) ;;
	"$KSFT_XFAIL") result ok "$desc" XFAIL; xfail=$((xfail + 1)) ;;
	"$TIMEOUT_RC") result "not ok" "$desc" "TIMEOUT $secs seconds"; fail=$((fail + 1)) ;;
	*) result "not ok" "$desc" "exit=$rc"; fail=$((fail + 1)) ;;
	esac
}

echo "TAP version 13"
# shellcheck disable=SC2086
echo "1..$(printf '%s\n' $selected | grep -c .)"
for entry in $selected; do
	run_one "${entry%%:*}" "${entry#*:}"
done
[ "$skip" = 0 ] || echo "# $skip skipped test(s): their kernel config (each collection's config) or environment is missing"
echo "# Totals: pass:$pass fail:$fail xfail:$xfail xpass:0 skip:$skip error:0"
if [ -n "$error_on_fail" ] && [ "$fail" != 0 ]; then
	exit "$KSFT_FAIL"
fi
exit "$KSFT_PASS"
