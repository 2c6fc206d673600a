#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test): `ipe-auditd report` and `ipe-auditd gate` over a
# generated log of `ipe-auditd run` records; median of N runs, page cache warm.
#
#   O=build bench/auditd_report.sh
#   BENCH_MB=1024 BENCH_RUNS=3 BENCH_DIR=/var/tmp bench/auditd_report.sh
#
# The log: two machines (one file each), a start record, then would-be
# denials of 20,000 files on 50 volumes (half dm-verity) with realistic
# fields (argv, hint, rule), and a stats record per 1,000 events, 1 second
# apart, until BENCH_MB megabytes (10^6 bytes). Prints wall and CPU (user +
# sys) seconds, MB/s from the wall-clock median and the peak resident memory
# (GNU time). The log is deleted.
set -eu
cd "$(dirname "$0")/.."
O=${O:-build}
case $O in /*) ;; *) O=$PWD/$O ;; esac
A=$O/ipe-auditd
MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DIR=${BENCH_DIR:-/var/tmp}

[ -x "$A" ] || { echo "bench: $A missing; run make first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time missing (tests/deps.sh check)" >&2; exit 2; }
W=$(mktemp -d "$DIR/ipe-auditd-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# gen HOST BYTES: the records of one machine.
gen() {
	awk -v host="$1" -v limit="$2" 'BEGIN {
		srand(7)
		t0 = 1796022000
		printf "{\"type\":\"start\",\"time\":\"%s.000000000Z\",\"version\":\"0.1\",\"hostname\":\"%s\",\"backend\":\"lsm\",\"stats_interval\":60,\"policy\":{\"name\":\"spectrum\",\"version\":\"1.0.0\",\"sha256\":\"%064d\"}}\n", strftime("%Y-%m-%dT%H:%M:%S", t0, 1), host, 0
		n = 0; bytes = 0; sec = 0
		while (bytes < limit) {
			f = int(rand() * 20000); v = f % 50; ns = int(rand() * 1000000000)
			if (v % 2) {
				path = sprintf("/mnt/vol%d/usr/lib/app-%d/bin/tool-%d", v, f, f)
				ver = sprintf("{\"name\":\"vol%d\",\"roothash\":\"sha256:%064x\",\"signed\":true}", v, v)
				reason = "roothash-not-allowed"
				hint = sprintf("op=EXECUTE dmverity_roothash=sha256:%064x action=ALLOW", v)
				fs = "squashfs"; dev = sprintf("254:%d", v)
			} else {
				path = sprintf("/home/user/.local/share/app-%d/bin/tool-%d", f, f)
				ver = "null"; reason = "not-verity"; fs = "ext4"; dev = "8:2"
				hint = "move the file onto a dm-verity image"
			}
			line = sprintf("{\"type\":\"event\",\"time\":\"%s.%09dZ\",\"seq\":%d,\"op\":\"EXECUTE\",\"hook\":\"%s\",\"decision\":\"deny\",\"rule\":\"DEFAULT op=EXECUTE action=DENY\",\"pid\":%d,\"ppid\":%d,\"uid\":1000,\"comm\":\"tool-%d\",\"exe\":\"%s\",\"argv\":[\"%s\",\"--config\",\"/etc/app-%d.conf\",\"--verbose\"],\"argv_truncated\":false,\"path\":\"%s\",\"dev\":\"%s\",\"ino\":%d,\"fstype\":\"%s\",\"verity\":%s,\"reason\":\"%s\",\"hint\":\"%s\"}",
				strftime("%Y-%m-%dT%H:%M:%S", t0 + sec, 1), ns, n, (n % 3 ? "BPRM_CHECK" : "MMAP"), 1000 + n % 30000, 999 + n % 30000, f, path, path, f, path, dev, 100000 + f, fs, ver, reason, hint)
			print line
			bytes += length(line) + 1; n++
			if (n % 1000 == 0) {
				sec++
				line = sprintf("{\"type\":\"stats\",\"time\":\"%s.000000000Z\",\"counts\":[{\"op\":\"EXECUTE\",\"hook\":\"BPRM_CHECK\",\"seen\":%d,\"allowed\":0,\"denied\":%d,\"deduplicated\":0,\"lost\":0}]}", strftime("%Y-%m-%dT%H:%M:%S", t0 + sec, 1), n, n)
				print line
				bytes += length(line) + 1
			}
		}
	}'
}
half=$((MB * 1000000 / 2))
gen alpha "$half" >"$W/alpha.jsonl"
gen beta "$half" >"$W/beta.jsonl"
size=$(cat "$W/alpha.jsonl" "$W/beta.jsonl" | wc -c)
lines=$(cat "$W/alpha.jsonl" "$W/beta.jsonl" | wc -l)
cat "$W/alpha.jsonl" "$W/beta.jsonl" >/dev/null # page cache warm

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# bench NAME CMD...: median wall and CPU seconds and peak RSS of RUNS runs (GNU time).
bench() {
	local name=$1 i wall=() cpu=() rss=()
	shift
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -o "$W/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
		wall+=("$(tail -n 1 "$W/time" | awk '{ print $1 }')")
		cpu+=("$(tail -n 1 "$W/time" | awk '{ print $2 + $3 }')")
		rss+=("$(tail -n 1 "$W/time" | awk '{ print $4 }')")
	done
	local w c m
	w=$(printf '%s\n' "${wall[@]}" | median)
	c=$(printf '%s\n' "${cpu[@]}" | median)
	m=$(printf '%s\n' "${rss[@]}" | median)
	printf '%-16s wall %6.2f s  cpu %6.2f s  %7.1f MB/s  peak RSS %5d MiB\n' "$name" "$w" "$c" \
		"$(awk -v s="$size" -v w="$w" 'BEGIN { print s / 1e6 / w }')" $((m / 1024))
}

echo "log: $size bytes, $lines records, 2 machines, $(nproc) CPUs, $(uname -r)"
bench "report --json" "$A" report --json "$W/alpha.jsonl" "$W/beta.jsonl"
bench "report (text)" "$A" report "$W/alpha.jsonl" "$W/beta.jsonl"
bench "gate" "$A" gate "$W/alpha.jsonl" "$W/beta.jsonl"
