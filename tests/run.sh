#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The one test runner behind `make check`.
#
#   tests/run.sh [FILTER]     run every test whose file name contains FILTER
#
# A test is a unit-test binary ($O/tests/unit/test_*) or a script
# tests/<group>/*_test.sh. Each prints result lines "PASS name",
# "FAIL name: why" or "SKIP name: why"; a test that prints none counts once by
# its exit status (0 pass, 77 skip, anything else fail). Everything else it
# prints goes to $O/tests/logs/<test>.log, shown when something failed.
# The last line is "N passed, N failed, N skipped"; the exit status is 1 when
# anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
O=${O:-build}
export O TOP=$PWD
case $O in /*) export PATH="$O:$PATH" ;; *) export PATH="$PWD/$O:$PATH" ;; esac
filter=${1:-}
logdir=$O/tests/logs
mkdir -p "$logdir"

passed=0 failed=0 skipped=0
failures=()

run_test() {
	local file=$1 name log rc start lines
	name=$(basename "$file" .sh)
	log=$logdir/$name.log
	start=$(date +%s)
	case $file in
	*.sh) bash "$file" >"$log" 2>&1; rc=$? ;;
	*) "$file" >"$log" 2>&1; rc=$? ;;
	esac
	lines=$(grep -E '^(PASS|FAIL|SKIP) ' "$log")
	if [ -z "$lines" ]; then
		case $rc in
		0) lines="PASS $name" ;;
		77) lines="SKIP $name: $(tail -n 1 "$log")" ;;
		*) lines="FAIL $name: exit status $rc" ;;
		esac
	elif [ "$rc" != 0 ] && [ "$rc" != 77 ] && ! grep -q '^FAIL ' <<<"$lines"; then
		lines+=$'\n'"FAIL $name: exit status $rc after its results"
	fi
	while IFS= read -r line; do
		case $line in
		PASS*) passed=$((passed + 1)) ;;
		SKIP*) skipped=$((skipped + 1)) ;;
		FAIL*) failed=$((failed + 1)); failures+=("$name|$log") ;;
		esac
		printf '%-24s %s\n' "$name" "$line"
	done <<<"$lines"
	printf '%-24s (%ss)\n' "$name" $(($(date +%s) - start)) >>"$logdir/timing"
}

tests=()
for f in "$O"/tests/unit/test_*; do
	case $f in *.o | *.d) continue ;; esac
	[ -x "$f" ] && tests+=("$f")
done
for f in tests/*/*_test.sh; do
	[ -f "$f" ] && tests+=("$f")
done

for t in "${tests[@]}"; do
	[ -n "$filter" ] && [[ $t != *"$filter"* ]] && continue
	run_test "$t"
done

if [ ${#failures[@]} -gt 0 ]; then
	declare -A shown=()
	for f in "${failures[@]}"; do
		name=${f%%|*} log=${f#*|}
		[ -n "${shown[$name]:-}" ] && continue
		shown[$name]=1
		echo "---- $name: last lines of $log"
		tail -n 30 "$log"
	done
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
