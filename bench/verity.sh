#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test): `ipe-policygen format` against `veritysetup format`
# on the same images, salt and UUID, page cache warm; median of N runs.
#
#   O=build bench/verity.sh            (make bench)
#   BENCH_SIZES="1 4" BENCH_RUNS=3 BENCH_DIR=/var/tmp bench/verity.sh
#
# Prints wall and CPU (user + sys) seconds, throughput (MB/s, 10^6 bytes
# per second, from the wall-clock median), the speed-up over
# veritysetup, the fraction of the OpenSSL multi-core SHA-256 ceiling
# (`openssl speed -evp sha256 -bytes 4096 -multi $(nproc)`), and checks that
# both tools wrote the same bytes. The images are deleted afterwards.
set -eu
cd "$(dirname "$0")/.."
O=${O:-build}
case $O in /*) ;; *) O=$PWD/$O ;; esac
P=$O/ipe-policygen
SIZES=${BENCH_SIZES:-1 4}
RUNS=${BENCH_RUNS:-3}
DIR=${BENCH_DIR:-/var/tmp}
SALT=$(printf '%064x' 42)
UUID=12345678-1234-4234-9234-123456789abc

[ -x "$P" ] || { echo "bench: $P missing; run make first" >&2; exit 2; }
command -v veritysetup >/dev/null || { echo "bench: veritysetup missing" >&2; exit 2; }
fs=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null || stat -f -c %T "$DIR")
[ "$fs" != tmpfs ] || { echo "bench: $DIR is tmpfs; set BENCH_DIR to a disk" >&2; exit 2; }
W=$(mktemp -d "$DIR/ipe-verity-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }'; }

# time_run OUTFILE CMD...: "wall cpu" seconds of CMD (cpu = user + sys; stdout to OUTFILE).
time_run() {
	local out=$1 t TIMEFORMAT='%R %U %S'
	shift
	t=$({ time "$@" >"$out" 2>/dev/null; } 2>&1)
	awk '{ printf "%.3f %.2f\n", $1, $2 + $3 }' <<<"$t"
}

ncpu=$(nproc)
# The ceiling, in MB/s; measured once per run of the tools, because a shared
# machine's speed drifts within minutes.
measure_ceiling() {
	openssl speed -seconds 2 -evp sha256 -bytes 4096 -multi "$ncpu" 2>/dev/null |
		awk '$1 == "sha256" { sub(/k$/, "", $2); printf "%.0f\n", $2 / 1000 }'
}
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r)"
echo "versions: $(veritysetup --version | head -1), $(openssl version | cut -d' ' -f1-2)"
echo "files: $DIR ($fs), page cache warm; runs: median of $RUNS"
echo "OpenSSL ceiling: openssl speed -evp sha256 -bytes 4096 -multi $ncpu, the median of one measurement per run"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-5s | %-44s | %8s | %7s | %8s | %8s | %9s |\n' size tool "wall s" "CPU s" "MB/s" "speed-up" "ceiling"
printf '|-------|----------------------------------------------|----------|---------|----------|----------|-----------|\n'

status=0
for gib in $SIZES; do
	bytes=$((gib << 30))
	img=$W/img${gib}g
	head -c "$bytes" /dev/zero |
		openssl enc -aes-256-ctr -nosalt -K "$(printf '%064x' "$gib")" -iv 00000000000000000000000000000000 >"$img"
	sync # no writeback of the new image behind the timed runs
	cat "$img" >/dev/null
	vs=() ours=() ours_v=() vs_cpu=() ours_cpu=() ours_v_cpu=() ceilings=()
	for ((i = 0; i < RUNS; i++)); do
		ceilings+=("$(measure_ceiling)")
		rm -f "$W"/h_* # every tool creates its output, as in a build
		read -r t c < <(time_run "$W/vs.out" veritysetup format --salt "$SALT" --uuid "$UUID" "$img" "$W/h_vs")
		vs+=("$t") vs_cpu+=("$c")
		read -r t c < <(time_run "$W/ours.out" "$P" format --no-verify --salt "$SALT" --uuid "$UUID" "$img" "$W/h_ours")
		ours+=("$t") ours_cpu+=("$c")
		read -r t c < <(time_run "$W/ours_v.out" "$P" format --salt "$SALT" --uuid "$UUID" "$img" "$W/h_ours_v")
		ours_v+=("$t") ours_v_cpu+=("$c")
	done
	root_vs=$(sed -n 's/^Root hash:[[:space:]]*//p' "$W/vs.out")
	if cmp -s "$W/h_vs" "$W/h_ours" && cmp -s "$W/h_vs" "$W/h_ours_v" &&
		[ "$root_vs" = "$(cat "$W/ours.out")" ] && [ "$root_vs" = "$(cat "$W/ours_v.out")" ]; then
		ident="byte-identical, root $root_vs"
	else
		ident="MISMATCH"
		status=1
	fi
	ceiling=$(printf '%s\n' "${ceilings[@]}" | median)
	t_vs=$(printf '%s\n' "${vs[@]}" | median)
	t_ours=$(printf '%s\n' "${ours[@]}" | median)
	t_ours_v=$(printf '%s\n' "${ours_v[@]}" | median)
	for row in "veritysetup format|$t_vs|${vs_cpu[*]}" "ipe-policygen format --no-verify|$t_ours|${ours_cpu[*]}" \
		"ipe-policygen format (+ libcryptsetup check)|$t_ours_v|${ours_v_cpu[*]}"; do
		IFS='|' read -r name t cpu <<<"$row"
		cpu=$(tr ' ' '\n' <<<"$cpu" | median)
		printf '| %-5s | %-44s | %8s | %7s | %8s | %7sx | %8s%% |\n' "${gib} GiB" "$name" "$t" "$cpu" \
			"$(mbps "$bytes" "$t")" "$(awk -v a="$t_vs" -v b="$t" 'BEGIN { printf "%.2f", a / b }')" \
			"$(awk -v b="$bytes" -v t="$t" -v c="$ceiling" 'BEGIN { printf "%.0f", b / t / 1e6 / c * 100 }')"
	done
	echo "| ${gib} GiB | outputs: $ident; wall runs: veritysetup ${vs[*]}, --no-verify ${ours[*]}, with check ${ours_v[*]}; ceiling MB/s ${ceilings[*]} |"
	rm -f "$img" "$W"/h_*
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
