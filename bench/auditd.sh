#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test): what `ipe-auditd run` (tracepoint backend here)
# costs the programs it watches, whether it loses events, and its memory.
#
#   O=build bench/auditd.sh            (make bench; needs root)
#   BENCH_EXECS=3000 BENCH_MMAPS=200000 BENCH_RUNS=3 bench/auditd.sh
#
# 1. A fork+exec storm of a copy of /bin/true on a tmpfs (a non-verity
#    path: every exec is a would-be denial under the candidate policy, so
#    every one crosses into user space), without and with the auditor,
#    interleaved, median of BENCH_RUNS each; the ratio is the added time.
# 2. The same for an mmap(PROT_EXEC) storm of anonymous memory.
# 3. Loss: execs of a tiny static program as fast as two spawners go
#    (the rate reached is printed), --no-dedup; the stats must say lost 0.
# 4. Resident memory after a 100,000-exec storm with dedup on: VmRSS now,
#    VmHWM the peak (reached while libbpf parses the kernel's BTF at load).
# The machine is shared: compare the ratios of one run, not absolute times.
set -eu
cd "$(dirname "$0")/.."
O=${O:-build}
case $O in /*) ;; *) O=$PWD/$O ;; esac
A=$O/ipe-auditd
EXECS=${BENCH_EXECS:-3000}
MMAPS=${BENCH_MMAPS:-200000}
RUNS=${BENCH_RUNS:-3}
RATE_EXECS=${BENCH_RATE_EXECS:-30000}
RSS_EXECS=${BENCH_RSS_EXECS:-100000}

[ "$(id -u)" = 0 ] || { echo "bench: needs root (BPF)" >&2; exit 2; }
[ -x "$A" ] || { echo "bench: $A missing; run make first" >&2; exit 2; }
W=$(mktemp -d /tmp/ipe-auditd-bench.XXXXXX)
mount -t tmpfs ipe-auditd-bench "$W"
trap 'kill "${AUD:-}" 2>/dev/null; umount -l "$W"; rmdir "$W"' EXIT
${CC:-cc} -O2 -o "$W/storm" bench/auditd_storm.c
# the cheapest program there is: exits at once, no dynamic loader
# shellcheck disable=SC2016 # assembly, not shell
printf '.globl _start\n_start: mov $60, %%eax\nxor %%edi, %%edi\nsyscall\n' >"$W/tiny.s"
${CC:-cc} -nostdlib -static -o "$W/tiny" "$W/tiny.s"
cp /bin/true "$W/true"
printf 'policy_name=bench policy_version=0.0.1\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action=DENY\n' >"$W/deny.pol"

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# start ARGS...: the auditor in the background, returning once attached.
start() {
	rm -f "$W/ready" && mkfifo "$W/ready"
	"$A" run --backend tracepoint --policy "$W/deny.pol" --stats-interval 0 --output "$W/log.jsonl" \
		--ready-fd 3 "$@" 3>"$W/ready" 2>>"$W/aud.err" &
	AUD=$!
	head -n 1 "$W/ready" >/dev/null
}
stop() {
	kill -TERM "$AUD"
	wait "$AUD"
	AUD=
}
# field NAME: a number from the last (final stats) record
field() { tail -n 1 "$W/log.jsonl" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# storm NAME CMD...: medians without and with the auditor (wall and CPU seconds), interleaved,
# the order swapped every other run so that neither side always goes first
storm() {
	local name=$1 off=() on=() offc=() onc=() t i
	shift
	for i in $(seq "$RUNS"); do
		if [ $((i % 2)) = 1 ]; then
			t=$("$@"); off+=("${t%% *}"); offc+=("${t##* }")
		fi
		rm -f "$W/log.jsonl"
		start
		t=$("$@"); on+=("${t%% *}"); onc+=("${t##* }")
		stop
		if [ $((i % 2)) = 0 ]; then
			t=$("$@"); off+=("${t%% *}"); offc+=("${t##* }")
		fi
	done
	local a b ac bc
	a=$(printf '%s\n' "${off[@]}" | median) b=$(printf '%s\n' "${on[@]}" | median)
	ac=$(printf '%s\n' "${offc[@]}" | median) bc=$(printf '%s\n' "${onc[@]}" | median)
	printf '| %-40s | %8.3f | %8.3f | %+7.1f %% | %8.3f | %8.3f | %+7.1f %% |\n' "$name" "$a" "$b" \
		"$(awk -v a="$a" -v b="$b" 'BEGIN { print (b / a - 1) * 100 }')" "$ac" "$bc" \
		"$(awk -v a="$ac" -v b="$bc" 'BEGIN { print (b / a - 1) * 100 }')"
}
printf '| %-40s | %8s | %8s | %9s | %8s | %8s | %9s |\n' storm "wall off" "wall on" added "CPU off" "CPU on" added
printf '|------------------------------------------|----------|----------|-----------|----------|----------|-----------|\n'
storm "fork+exec of /bin/true (tmpfs) x$EXECS" "$W/storm" exec "$EXECS" 1 "$W/true"
storm "mmap(PROT_EXEC) anonymous x$MMAPS" "$W/storm" mmap "$MMAPS"
echo

rm -f "$W/log.jsonl"
start --no-dedup
rate=$("$W/storm" exec "$RATE_EXECS" 2 "$W/tiny" | cut -d' ' -f2)
stop
echo "loss: $RATE_EXECS execs of a static program at $rate execs/s, --no-dedup: lost $(field lost), seen $(field seen), dropped $(field dropped)"

rm -f "$W/log.jsonl"
start
"$W/storm" exec "$RSS_EXECS" 2 "$W/tiny" >/dev/null
"$W/storm" exec 2000 1 "$W/true" >/dev/null
mem=$(grep -E '^(VmHWM|VmRSS|RssAnon|RssFile):' "/proc/$AUD/status" | awk '{ printf "%s %s %s  ", $1, $2, $3 }')
stop
echo "memory after $RSS_EXECS execs (dedup on): $mem(seen $(field seen), lost $(field lost))"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
