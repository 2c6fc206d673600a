#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check-valgrind: memcheck over the command-line paths of the three
# tools (successes and refusals: no invalid read or write, no use of
# uninitialised memory, nothing definitely or indirectly lost), and helgrind
# over format's hashing threads (leaf blocks shared by several threads).
# Each run's report is in $O/valgrind/NAME.log. Not part of `make check`
# (docs/testing.md says how long it takes).
source "$(dirname "$0")/../integration/lib.sh"

command -v valgrind >/dev/null || { echo "no valgrind (tests/deps.sh valgrind)"; exit 77; }
P=$(command -v ipe-policygen) K=$(command -v ipe-keys) A=$(command -v ipe-auditd)
logs=$O/valgrind
rm -rf "$logs" && mkdir -p "$logs"
cd "$T" || exit 2

memcheck=(valgrind --error-exitcode=99 --leak-check=full '--errors-for-leak-kinds=definite,indirect'
	'--show-leak-kinds=definite,indirect' --track-fds=no --suppressions="$TOP/tests/valgrind/libbpf.supp")
helgrind=(valgrind --tool=helgrind --error-exitcode=99)

# vg TOOL NAME STATUS CMD...: CMD under valgrind's TOOL exits STATUS (99: valgrind found something).
vg() {
	local tool=$1 name=$2 want=$3 rc=0
	shift 3
	case $tool in
	memcheck) "${memcheck[@]}" --log-file="$logs/$name.log" "$@" >/dev/null 2>"$logs/$name.err" </dev/null || rc=$? ;;
	helgrind) "${helgrind[@]}" --log-file="$logs/$name.log" "$@" >/dev/null 2>"$logs/$name.err" </dev/null || rc=$? ;;
	esac
	if [ "$rc" = "$want" ]; then
		pass "${tool}_$name"
	else
		fail "${tool}_$name" "exit $rc, not $want: $(grep -m 3 -A 6 -E '== (Invalid|Conditional|Syscall|Use of|Possible data race|Lock|[0-9,]+ bytes in)' "$logs/$name.log" | head -n 20)"
	fi
}
m() { vg memcheck "$@"; }

# --- the checks find what they are for: a leak, a read past a block, a race
cat >bad.c <<'C'
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
static int shared;
static void *bump(void *p) { (void)p; shared++; return NULL; }
int main(int argc, char **argv)
{
	char *p = malloc(16);
	pthread_t t;

	if (argc > 1 && !strcmp(argv[1], "leak"))
		return (p = malloc(32)) == NULL;
	if (argc > 1 && !strcmp(argv[1], "read"))
		return p[16];
	pthread_create(&t, NULL, bump, NULL);
	shared++;
	pthread_join(t, NULL);
	free(p);
	return 0;
}
C
if cc -g -O0 -pthread -o bad bad.c; then
	m control_leak 99 ./bad leak
	m control_invalid_read 99 ./bad read
	vg helgrind control_race 99 ./bad race
else
	fail control "cannot compile the control program"
fi

# --- inputs
head -c 1048576 /dev/urandom >data
head -c 8388608 /dev/urandom >data8
$K generate --out-dir keys --cn "ipe-tools valgrind" >/dev/null 2>&1 || fail setup "ipe-keys generate"
$K generate --out-dir other --algorithm ec-p256 --cn "ipe-tools other" >/dev/null 2>&1 || fail setup "ipe-keys generate"
s=(--key keys/signing.key --cert keys/signing.crt)
printf 'policy_name=bad policy_version=1\nDEFAULT action=MAYBE\n' >bad.pol

# --- ipe-policygen
m format 0 "$P" format --salt 00 --seed vg data hash
rh=$("$P" format --salt 00 --seed vg data hash 2>/dev/null)
m format_threads_512 0 "$P" format --threads 4 --data-block-size 512 --hash-block-size 512 --salt 00 --seed vg data8 hash8
m format_no_superblock 0 "$P" format --no-superblock --hash sha512 --salt 00 data hash.nosb
m verify 0 "$P" verify data hash "$rh"
m verify_wrong_roothash 1 "$P" verify data hash "$(printf '%064d' 0)"
m dump 0 "$P" dump --json hash
m dump_not_a_tree 1 "$P" dump data
m manifest 0 "$P" manifest data hash -o m.json
m sign_roothash 0 "$P" sign-roothash "${s[@]}" --manifest m.json -o rh.p7s
m sign_roothash_mismatched_key 2 "$P" sign-roothash --key other/signing.key --cert keys/signing.crt --manifest m.json -o x.p7s
m generate 0 "$P" generate --name vg --version 1.0.0 --manifest m.json --signed -o pol
m generate_version_from 0 "$P" generate --version-from pol --manifest m.json -o pol2
m check 0 "$P" check --json pol
m check_refused 1 "$P" check bad.pol
m sign 0 "$P" sign "${s[@]}" -o pol.p7b pol
m sign_refused 1 "$P" sign "${s[@]}" -o bad.p7b bad.pol
m check_signed 0 "$P" check pol.p7b

# --- ipe-keys
m keys_generate_ec 0 "$K" generate --out-dir g1 --algorithm ec-p256 --cn vg
m keys_generate_ca 0 "$K" generate --out-dir ca --ca --cn "vg CA"
m keys_generate_issued 0 "$K" generate --out-dir g2 --algorithm ec-p384 --cn vg --issuer-key ca/ca.key --issuer-cert ca/ca.crt
m keys_generate_not_a_ca 2 "$K" generate --out-dir g3 --cn vg --issuer-key keys/signing.key --issuer-cert keys/signing.crt
m keys_uefi_db_esl 0 "$K" uefi-db keys/signing.crt --esl -o db.esl
m keys_uefi_db_auth 0 "$K" uefi-db keys/signing.crt --auth --key keys/signing.key --signer-cert keys/signing.crt -o db.auth
m keys_verify 0 "$K" verify rh.p7s --cert keys/signing.crt --data <(printf '%s' "$rh")
m keys_verify_policy 0 "$K" verify pol.p7b --cert keys/signing.crt
m keys_verify_other_cert 1 "$K" verify pol.p7b --cert other/signing.crt
m keys_list 0 "$K" list --json

# --- ipe-auditd: the log readers, and run itself on the host's kernel (root and BTF needed)
m auditd_report 0 "$A" report "$TOP/tests/data/auditd/a.jsonl" "$TOP/tests/data/auditd/b.jsonl"
m auditd_report_json 0 "$A" report --json "$TOP/tests/data/auditd/a.jsonl"
rc=0
"$A" gate "$TOP/tests/data/auditd/a.jsonl" >/dev/null 2>&1 || rc=$?
m auditd_gate "$rc" "$A" gate "$TOP/tests/data/auditd/a.jsonl"
if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	printf 'policy_name=vg policy_version=0.0.1\nDEFAULT action=ALLOW\nDEFAULT op=EXECUTE action=DENY\n' >deny.pol
	m auditd_run 0 "$A" run --backend tracepoint --policy deny.pol --duration 3 --stats-interval 1 --output run.jsonl
else
	skip memcheck_auditd_run "needs root and kernel BTF"
fi

# --- helgrind: the hashing threads, with leaf blocks shared between them
vg helgrind format_threads 0 "$P" format --threads 4 --salt 00 --seed vg data8 hash8.hg
vg helgrind format_threads_shared_leaves 0 "$P" format --threads 4 --data-block-size 512 --hash-block-size 4096 \
	--salt 00 --seed vg data8 hash8.hg2
vg helgrind format_threads_verify_full 0 "$P" format --threads 3 --verify=full --salt 00 --seed vg data8 hash8.hg3
finish
