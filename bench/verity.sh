#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test): `ipe-policygen format` against `veritysetup format`
# on the same image, salt and UUID; median of N runs.
#
#   O=build bench/verity.sh            (make bench)
#   BENCH_SIZES="1G 4G" BENCH_SCALE="64M 256M 1G 4G 8G" BENCH_RUNS=3 BENCH_COLD=1 \
#   BENCH_DIR=/var/tmp bench/verity.sh
#
# Three tables, every figure with the machine's load average (1 minute) at the
# time of its runs:
#  1. page cache warm, sizes BENCH_SIZES: veritysetup, and format with
#     --verify=none, the default (sampled) and --verify=full. Wall and CPU
#     (user + sys) seconds, throughput (MB/s, 10^6 bytes per second, from the
#     wall median), the speed-up over veritysetup and the fraction of the OpenSSL
#     multi-core SHA-256 ceiling (`openssl speed -evp sha256 -bytes 4096 -multi
#     $(nproc)`, measured in every round). Ratios are taken pair by pair within
#     a round (the tools run in turn, the order reversed every other round) and
#     their median is shown, so a machine whose speed drifts still gives fair
#     ratios. The outputs of every tool are compared byte for byte.
#  2. page cache dropped before every run (the image's pages, with
#     `dd iflag=nocache`): veritysetup and the default format.
#  3. scaling, page cache warm, sizes BENCH_SCALE: veritysetup and the default.
# One image of the largest size is written (AES-256-CTR keystream with a fixed
# key, so every run hashes the same bytes); smaller sizes are its first blocks
# (--data-blocks, both tools). It is deleted at the end.
set -eu
cd "$(dirname "$0")/.."
O=${O:-build}
case $O in /*) ;; *) O=$PWD/$O ;; esac
P=$O/ipe-policygen
SIZES=${BENCH_SIZES:-1G 4G}
SCALE=${BENCH_SCALE:-64M 256M 1G 4G 8G}
RUNS=${BENCH_RUNS:-3}
COLD=${BENCH_COLD:-1}
DIR=${BENCH_DIR:-/var/tmp}
SALT=$(printf '%064x' 42)
UUID=12345678-1234-4234-9234-123456789abc

[ -x "$P" ] || { echo "bench: $P missing; run make first" >&2; exit 2; }
command -v veritysetup >/dev/null || { echo "bench: veritysetup missing" >&2; exit 2; }
fs=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null || stat -f -c %T "$DIR")
[ "$fs" != tmpfs ] || { echo "bench: $DIR is tmpfs; set BENCH_DIR to a disk" >&2; exit 2; }
W=$(mktemp -d "$DIR/ipe-verity-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
med() { printf '%s\n' "$@" | median; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.0f", b / t / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
bytes_of() { # 64M, 1G -> bytes
	case $1 in
	*M) echo $((${1%M} << 20)) ;;
	*G) echo $((${1%G} << 30)) ;;
	*) echo "bench: size '$1' is not NM or NG" >&2 && exit 2 ;;
	esac
}
label() { case $1 in *M) echo "${1%M} MiB" ;; *G) echo "${1%G} GiB" ;; esac; }

# time_run OUTFILE CMD...: "wall cpu" seconds of CMD (cpu = user + sys; stdout to OUTFILE).
time_run() {
	local out=$1 t TIMEFORMAT='%R %U %S'
	shift
	t=$({ time "$@" >"$out" 2>/dev/null; } 2>&1)
	awk '{ printf "%.3f %.2f\n", $1, $2 + $3 }' <<<"$t"
}

ncpu=$(nproc)
# The ceiling, in MB/s; measured once per round, because a shared machine's speed drifts within minutes.
measure_ceiling() {
	openssl speed -seconds 2 -evp sha256 -bytes 4096 -multi "$ncpu" 2>/dev/null |
		awk '$1 == "sha256" { sub(/k$/, "", $2); printf "%.0f\n", $2 / 1000 }'
}

# The tools, by key: a label and the command (the image and output come last).
declare -A NAME CMD
NAME[vs]="veritysetup format"
NAME[none]="ipe-policygen format --verify=none"
NAME[sampled]="ipe-policygen format (default: sampled)"
NAME[full]="ipe-policygen format --verify=full"
CMD[vs]="veritysetup format"
CMD[none]="$P format --verify=none"
CMD[sampled]="$P format"
CMD[full]="$P format --verify=full"

# run KEY BLOCKS: one run of a tool on the first BLOCKS blocks into $W/h_KEY;
# sets t (wall), c (CPU), l (load at the start); the root hash in $W/KEY.out.
run() {
	rm -f "$W/h_$1"
	l=$(load)
	# shellcheck disable=SC2086 # CMD is a command line
	read -r t c < <(time_run "$W/$1.out" ${CMD[$1]} --data-blocks "$2" --salt "$SALT" --uuid "$UUID" "$img" "$W/h_$1")
}

root_of() { # KEY
	if [ "$1" = vs ]; then sed -n 's/^Root hash:[[:space:]]*//p' "$W/vs.out"; else cat "$W/$1.out"; fi
}

# identical KEYS...: every output equals veritysetup's (hash file and root).
identical() {
	local k root
	root=$(root_of vs)
	for k in "$@"; do
		cmp -s "$W/h_vs" "$W/h_$k" && [ -n "$root" ] && [ "$root" = "$(root_of "$k")" ] || return 1
	done
	echo "$root"
}

drop_cache() { dd if="$img" iflag=nocache count=0 status=none; }
warm() { head -c "$1" "$img" >/dev/null; }

# rounds BYTES MODE KEYS...: RUNS rounds of the tools KEYS (vs first) in turn, the order
# reversed every other round, on the image's first BYTES. MODE: warm; cold (the image's
# pages dropped before every run); ceiling (warm, and the OpenSSL ceiling measured at the
# start of every round). Fills, per key, the lists T (wall), C (CPU), L (load), R (speed-up
# over veritysetup within the round), F (fraction of the round's ceiling); and root.
declare -A T C L R F
rounds() {
	local bytes=$1 mode=$2 i k order ceil=
	shift 2
	T=() C=() L=() R=() F=() ceilings=()
	[ "$mode" = cold ] || warm "$bytes"
	for ((i = 0; i < RUNS; i++)); do
		[ "$mode" != ceiling ] || { ceil=$(measure_ceiling) && ceilings+=("$ceil"); }
		order="$*"
		((i % 2 == 0)) || order=$(printf '%s\n' "$@" | tac | tr '\n' ' ')
		declare -A ti=()
		for k in $order; do
			[ "$mode" != cold ] || { sync && drop_cache; }
			run "$k" $((bytes / 4096))
			T[$k]+="$t " C[$k]+="$c " L[$k]+="$l "
			ti[$k]=$t
		done
		for k in "$@"; do
			R[$k]+="$(ratio "${ti[vs]}" "${ti[$k]}") "
			[ -z "$ceil" ] || F[$k]+="$(awk -v b="$bytes" -v t="${ti[$k]}" -v c="$ceil" 'BEGIN { printf "%.3f", b / t / 1e6 / c }') "
		done
		root=$(identical "${@:2}") || { status=1 && root=MISMATCH; }
	done
}

status=0
largest=0
for s in $SIZES $SCALE; do
	b=$(bytes_of "$s")
	[ "$b" -le "$largest" ] || largest=$b
done
img=$W/img
head -c "$largest" /dev/zero |
	openssl enc -aes-256-ctr -nosalt -K "$(printf '%064x' 1)" -iv 00000000000000000000000000000000 >"$img"
sync # no writeback of the new image behind the timed runs

echo "machine: $ncpu CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r)"
echo "versions: $(veritysetup --version | head -1), $(openssl version | cut -d' ' -f1-2)"
echo "files: $DIR ($fs); one image of $largest bytes, smaller sizes its first blocks; runs: median of $RUNS"
echo "OpenSSL ceiling: openssl speed -evp sha256 -bytes 4096 -multi $ncpu, measured every round"
echo "speed-up and ceiling: the median of the ratios within each round (pairs), not of the medians"
echo "load: the 1-minute load average at the start of the runs (median); the machine has $ncpu CPUs"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck disable=SC2086 # the lists of numbers are split on purpose below
{
	echo
	echo "Page cache warm:"
	echo
	printf '| %-7s | %-40s | %7s | %6s | %6s | %8s | %7s | %5s |\n' size tool "wall s" "CPU s" "MB/s" speed-up ceiling load
	printf '|---------|------------------------------------------|---------|--------|--------|----------|---------|-------|\n'
	for s in $SIZES; do
		bytes=$(bytes_of "$s")
		rounds "$bytes" ceiling vs none sampled full
		for k in vs none sampled full; do
			printf '| %-7s | %-40s | %7s | %6s | %6s | %7.2fx | %6.0f%% | %5s |\n' "$(label "$s")" "${NAME[$k]}" \
				"$(med ${T[$k]})" "$(med ${C[$k]})" "$(mbps "$bytes" "$(med ${T[$k]})")" \
				"$(med ${R[$k]})" "$(awk -v f="$(med ${F[$k]})" 'BEGIN { print f * 100 }')" "$(med ${L[$k]})"
		done
		echo "| $(label "$s") | outputs: $root; wall runs: veritysetup ${T[vs]}/ none ${T[none]}/ sampled ${T[sampled]}/ full ${T[full]}; ceiling MB/s ${ceilings[*]} |"
	done

	if [ "$COLD" = 1 ]; then
		echo
		echo "Page cache dropped before every run (the image's pages):"
		echo
		printf '| %-7s | %-40s | %7s | %6s | %6s | %8s | %5s |\n' size tool "wall s" "CPU s" "MB/s" speed-up load
		printf '|---------|------------------------------------------|---------|--------|--------|----------|-------|\n'
		for s in $SIZES; do
			bytes=$(bytes_of "$s")
			rounds "$bytes" cold vs sampled
			for k in vs sampled; do
				printf '| %-7s | %-40s | %7s | %6s | %6s | %7.2fx | %5s |\n' "$(label "$s")" "${NAME[$k]}" \
					"$(med ${T[$k]})" "$(med ${C[$k]})" "$(mbps "$bytes" "$(med ${T[$k]})")" "$(med ${R[$k]})" "$(med ${L[$k]})"
			done
		done
	fi

	echo
	echo "Scaling, page cache warm, the default format against veritysetup:"
	echo
	printf '| %-7s | %14s | %14s | %8s | %14s | %8s | %5s |\n' size "veritysetup s" "format wall s" "CPU s" "format MB/s" speed-up load
	printf '|---------|----------------|----------------|----------|----------------|----------|-------|\n'
	for s in $SCALE; do
		bytes=$(bytes_of "$s")
		rounds "$bytes" warm vs sampled
		printf '| %-7s | %14s | %14s | %8s | %14s | %7.2fx | %5s |\n' "$(label "$s")" "$(med ${T[vs]})" \
			"$(med ${T[sampled]})" "$(med ${C[sampled]})" "$(mbps "$bytes" "$(med ${T[sampled]})")" \
			"$(med ${R[sampled]})" "$(med ${L[sampled]})"
	done
}
[ "$status" = 0 ] || echo "outputs: MISMATCH between veritysetup and ipe-policygen"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
