# shellcheck shell=sh
# checks.sh: the shell tests' counting, sourced by each of them.
#
#   ok [WHAT]          a check passed; WHAT, if given, is printed as "ok: WHAT"
#   bad WHAT           a check failed: "FAIL: WHAT"
#   check EXPR WHAT    eval EXPR, then ok WHAT or bad WHAT
#   within EXPR TRIES  eval EXPR every 0.1 s until it holds, at most TRIES times;
#                      status 1 if it never did
#
# Each script prints "$pass passed, $fail failed" at its end and exits
# non-zero if fail is not 0.
pass=0 fail=0
ok() { pass=$((pass + 1)); [ $# -eq 0 ] || echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
within() {
	checks_tries=0
	until eval "$1"; do
		checks_tries=$((checks_tries + 1))
		[ "$checks_tries" -ge "$2" ] && return 1
		sleep 0.1
	done
}
