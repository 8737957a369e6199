# SPDX-License-Identifier: GPL-2.0
# cache.sh: sourced by the setup scripts.  Where every download and build
# lives (outside the repo, keyed by exact versions), a lock so concurrent
# callers cannot delete each other's output, and a timeout for host steps.
IBS_CACHE=${IBS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iobus-stress}
mkdir -p "$IBS_CACHE/locks"

# ibs_lock NAME: take an exclusive lock (waits up to an hour); ibs_unlock.
ibs_lock() {
	exec {IBS_LOCK_FD}>"$IBS_CACHE/locks/$1.lock"
	flock -w 3600 "$IBS_LOCK_FD" || { echo "cache: lock $1 timed out" >&2; exit 1; }
}
ibs_unlock() {
	[ -n "${IBS_LOCK_FD:-}" ] && exec {IBS_LOCK_FD}>&-
	IBS_LOCK_FD=
}

# ibs_timeout SECONDS CMD...: run CMD, killed after SECONDS.
ibs_timeout() {
	local s=$1
	shift
	timeout --kill-after=30 "$s" "$@"
}
