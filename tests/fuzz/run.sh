#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the fuzz targets with libFuzzer, ASan and UBSan, and run them.
#
#   tests/fuzz/run.sh [TARGET] [SECONDS]
#
# TARGET is one of policy, verity_sb, manifest, pkcs7, keys, auditd_logs, volumes,
# audit_record, auditd_events, roothash, a list of them
# separated by commas, or all (the default). SECONDS (default 60) is the wall
# time of the whole run, split between the targets; FUZZ_JOBS=N (default 1)
# runs N targets at once. `run.sh SECONDS` runs them all, as it always did.
# FUZZ_SECONDS=N gives each target N seconds instead (what `make fuzz` sets);
# FUZZ_RUNS=N stops each target after N executions (what `make check` sets),
# the seconds then being only an upper bound.
#
# Seeds come from tests/data/policies, tests/fuzz/corpus/TARGET and from samples made at run time
# (ipe-policygen format, openssl, the targets' own start-up); new inputs and
# crashes stay in $O/fuzz (nothing is written into the source tree). Each
# target's result is printed after a "== TARGET" line. Exit 0 when nothing
# was found, 77 when the toolchain is missing, 1 on a finding.
set -eu
cd "$(dirname "$0")/../.."
O=${O:-build}
CLANG=${CLANG:-clang}
jobs=${FUZZ_JOBS:-1}
all_targets=(policy verity_sb manifest pkcs7 keys auditd_logs volumes audit_record auditd_events roothash)
out=$O/fuzz

target=all
case ${1:-} in
'' | [0-9]*) ;;
*) target=$1; shift ;;
esac
seconds=${1:-60}
if [ "$target" = all ]; then
	targets=("${all_targets[@]}")
else
	IFS=, read -ra targets <<<"$target"
	for t in "${targets[@]}"; do
		if [[ " ${all_targets[*]} " != *" $t "* ]]; then
			echo "unknown target '$t' (${all_targets[*]})" >&2
			exit 2
		fi
	done
fi

if ! command -v "$CLANG" >/dev/null; then
	echo "no $CLANG" >&2
	exit 77
fi

# Sources of each target besides its tests/fuzz/fuzz_TARGET.c.
sources() {
	case $1 in
	policy) echo policy/*.c lib/hexdecoct.c ;;
	verity_sb | manifest) echo lib/*.c policy/digest.c json/*.c verity/*.c ;;
	pkcs7) echo crypto/pkcs7.c crypto/pkcs7_verify.c ;;
	keys) echo lib/*.c crypto/keyfile.c keys/efi_siglist.c keys/x509_profile.c ;;
	auditd_logs) echo lib/*.c json/json.c auditd/logread.c auditd/analysis.c auditd/timestamp.c ;;
	volumes) echo auditd/volumes.c ;;
	audit_record) echo auditd/audit_record.c policy/*.c lib/hexdecoct.c ;;
	auditd_events) echo lib/*.c json/json.c policy/*.c auditd/record.c auditd/evaluate.c auditd/output.c ;;
	roothash) echo lib/*.c policy/digest.c verity/roothash.c ;;
	esac
}
libs() {
	case $1 in
	policy) ;;
	verity_sb | manifest) pkg-config --libs libcrypto json-c libcryptsetup; echo -lpthread ;;
	pkcs7) pkg-config --libs libcrypto ;;
	keys) pkg-config --libs libcrypto json-c libkeyutils ;;
	auditd_logs) pkg-config --libs json-c ;;
	volumes | audit_record | roothash) ;;
	auditd_events) pkg-config --libs json-c ;;
	esac
}

pc_cflags=()
read -ra pc_cflags < <(pkg-config --cflags libcrypto json-c libcryptsetup libkeyutils 2>/dev/null) || true
cflags=(-g -O1 -std=gnu11 -D_GNU_SOURCE -I. '-fsanitize=address,undefined'
	-fno-sanitize-recover=undefined "${pc_cflags[@]}")

# An object is rebuilt when it or anything its .d file names is newer.
stale() {
	local obj=$1 src=$2 dep deps=()
	[ -e "$obj" ] && [ -e "${obj%.o}.d" ] && [ ! "$src" -nt "$obj" ] || return 0
	read -rd '' -a deps < <(sed -e 's/\\$//' -e 's/^[^:]*://' "${obj%.o}.d") || true
	for dep in "${deps[@]}"; do
		[ "$dep" -nt "$obj" ] && return 0
	done
	return 1
}

build_log=$out/build.log
toolchain_missing() {
	if grep -q -e 'fuzzer' -e 'cannot find' "$build_log"; then
		echo "libFuzzer is not available for $CLANG (install libclang-rt-dev)" >&2
		exit 77
	fi
	cat "$build_log" >&2
	exit 1
}

# Compile every object the targets need (two at a time), then link each target.
build() {
	local srcs=() src obj t n=0 failed=0 more ldlibs
	mkdir -p "$out/obj"
	: >"$build_log"
	for t in "${targets[@]}"; do
		read -ra more < <(sources "$t")
		srcs+=("${more[@]}" "tests/fuzz/fuzz_$t.c")
	done
	for src in $(printf '%s\n' "${srcs[@]}" | sort -u); do
		obj=$out/obj/${src%.c}.o
		stale "$obj" "$src" || continue
		mkdir -p "$(dirname "$obj")"
		"$CLANG" "${cflags[@]}" -fsanitize=fuzzer-no-link -MMD -c "$src" -o "$obj" 2>>"$build_log" &
		if [ $((++n % 2)) -eq 0 ]; then wait -n || failed=1; fi
	done
	while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || failed=1; done
	[ "$failed" -eq 0 ] || toolchain_missing
	for t in "${targets[@]}"; do
		local objs=()
		for src in $(sources "$t") "tests/fuzz/fuzz_$t.c"; do objs+=("$out/obj/${src%.c}.o"); done
		ldlibs=()
		read -rd '' -a ldlibs < <(libs "$t") || true
		"$CLANG" "${cflags[@]}" -fsanitize=fuzzer -o "$out/fuzz_$t" "${objs[@]}" "${ldlibs[@]}" \
			2>>"$build_log" || toolchain_missing
	done
}

# Small valid samples, made afresh: the real thing is the best start.
seed_verity() {
	local dir=$1 policygen=$O/ipe-policygen d=$T/verity-${1##*/}
	command -v "$policygen" >/dev/null || policygen=$(command -v ipe-policygen) || {
		echo "no ipe-policygen to make verity seeds; starting from the corpus alone" >&2
		return 0
	}
	mkdir -p "$d"
	head -c 5120 /dev/urandom >"$d/data"
	local i=0 opts
	for opts in "--data-block-size 512 --hash-block-size 512" \
		"--data-block-size 512 --hash-block-size 1024 --format 0 --hash sha1 --salt -" \
		"--data-block-size 1024 --hash-block-size 512 --hash sha512 --compact" \
		"--data-block-size 4096 --hash-block-size 4096 --salt 00ff --seed fuzz" \
		"--data-block-size 512 --hash-block-size 512 --no-superblock"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$policygen" format $opts --allow-partial --no-verify --manifest "$d/m$i.json" \
			"$d/data" "$d/hash$i" >/dev/null 2>>"$out/seeds.log" || continue
		case $(basename "$dir") in
		verity_sb) [[ $opts == *no-superblock* ]] || cp "$d/hash$i" "$dir/hash$i" ;;
		manifest) cp "$d/m$i.json" "$dir/m$i.json" ;;
		esac
	done
}

seed_pkcs7() {
	local dir=$1 d=$T/pkcs7
	command -v openssl >/dev/null || return 0
	mkdir -p "$d"
	printf 'policy_name=seed policy_version=0.0.1\nDEFAULT action=DENY\n' >"$d/policy"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=seed -days 1 \
		-keyout "$d/key" -out "$d/cert" 2>>"$out/seeds.log" || return 0
	# Attached with signed attributes (openssl's default), detached without (as sign-roothash).
	openssl smime -sign -binary -nodetach -outform DER -in "$d/policy" -signer "$d/cert" \
		-inkey "$d/key" -out "$dir/openssl-attached" 2>>"$out/seeds.log" || true
	openssl smime -sign -binary -noattr -outform DER -in "$d/policy" -signer "$d/cert" \
		-inkey "$d/key" -out "$dir/openssl-detached" 2>>"$out/seeds.log" || true
}

# A verity table line and a dm uevent as the 6.12 test kernel sent them
# (tests/unit/test_volumes.c), behind the byte that picks the parser.
seed_volumes() {
	printf '\0%s' "1 254:32 254:48 4096 4096 485 1 sha256 d77ab0852838b8e9514874bc80da99ef3870d8f5d08dbc5dd9552995054113d7 10095789c023d225a874b89475fdd3aab4bf97f5c9618315059d20dccfd21e11 2 root_hash_sig_key_desc cryptsetup:e80db2fe-9423-4733-b344-ed87e8bf55b0-ero" >"$1/table"
	printf '\1add@/devices/virtual/block/dm-1\0ACTION=add\0DEVPATH=/devices/virtual/block/dm-1\0SUBSYSTEM=block\0MAJOR=253\0MINOR=1\0DEVNAME=dm-1\0DEVTYPE=disk\0' >"$1/uevent"
}

# IPE's 1420 records as the 6.12 test kernel wrote them (tests/unit/test_auditd_kernel.c).
seed_audit_record() {
	printf '%s' 'audit(1796027270.151:6): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0 pid=236 comm="sh" path="/tmp/busybox" dev="tmpfs" ino=5 rule="DEFAULT op=EXECUTE action=DENY"' >"$1/file"
	printf '%s' 'audit(1796027270.247:10): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=0 pid=239 comm="memfd-exec" path=2F6D656D66643A6175646974642D6D656D6664202864656C6574656429 dev="tmpfs" ino=5 rule="DEFAULT op=EXECUTE action=DENY"' >"$1/hex"
	printf '%s' 'audit(1796027282.487:46): ipe_op=KMODULE ipe_hook=KERNEL_LOAD enforcing=0 pid=328 comm="insmod" path=? dev=? ino=? rule="DEFAULT op=KMODULE action=DENY"' >"$1/none"
}

run_target() {
	local t=$1 secs=$2 made max_len=4096 args=() seeds
	made=$out/seeds/$t
	rm -rf "$made" "$out/artifacts/$t"
	mkdir -p "$made" "$out/corpus/$t" "$out/artifacts/$t"
	seeds=("$made")
	case $t in
	policy)
		args=(-dict=tests/fuzz/policy.dict)
		seeds+=(tests/data/policies/corpus tests/data/policies/msipe)
		;;
	verity_sb) seed_verity "$made"; max_len=8192 ;;
	manifest) seed_verity "$made"; args=(-dict=tests/fuzz/manifest.dict) ;;
	pkcs7) seed_pkcs7 "$made"; args=(-dict=tests/fuzz/pkcs7.dict); seeds+=(tests/fuzz/corpus/pkcs7) ;;
	keys) ;;
	auditd_logs) seeds+=(tests/data/auditd) ;;
	volumes) seed_volumes "$made" ;;
	audit_record) seed_audit_record "$made" ;;
	auditd_events) seeds+=(tests/fuzz/corpus/auditd_events); max_len=12288 ;;
	roothash) seeds+=(tests/fuzz/corpus/roothash); max_len=8192 ;;
	esac
	[ -z "${FUZZ_RUNS:-}" ] || args+=(-runs="$FUZZ_RUNS")
	# libFuzzer adds new inputs to the first directory: the one in $O, never a seed directory.
	FUZZ_SEED_DIR=$made "$out/fuzz_$t" -max_total_time="$secs" -max_len=$max_len -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 \
		"${args[@]}" "$out/corpus/$t" "${seeds[@]}" >"$out/$t.log" 2>&1
}

report() {
	local t=$1 rc=$2
	echo "== $t"
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' "$out/$t.log" || true
	if [ "$rc" -ne 0 ] || ls "$out/artifacts/$t"/crash-* "$out/artifacts/$t"/leak-* \
		"$out/artifacts/$t"/timeout-* >/dev/null 2>&1; then
		tail -n 40 "$out/$t.log" >&2
		echo "FOUND: $t (see $out/artifacts/$t)"
		return 1
	fi
	return 0
}

mkdir -p "$out"
rm -f "$out/seeds.log"
build
T=$(mktemp -d /tmp/ipe-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT

# Wall time: the targets run in rounds of $jobs.
rounds=$(((${#targets[@]} + jobs - 1) / jobs))
per=${FUZZ_SECONDS:-$((seconds / rounds))}
[ "$per" -ge 1 ] || per=1
declare -A pid_of=()
rc=0
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
	for t in "${targets[@]:i:jobs}"; do
		run_target "$t" "$per" &
		pid_of[$t]=$!
	done
	for t in "${targets[@]:i:jobs}"; do
		r=0
		wait "${pid_of[$t]}" || r=$?
		report "$t" "$r" || rc=1
	done
done
exit $rc
