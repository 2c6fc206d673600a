#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The fault suite of the command-line tools: every writing verb onto a full
# file system and into a read-only one, too few file descriptors, too little
# address space, and hostile inputs (docs/security.md). Each case asserts
# the exact exit status, one error line naming the file, and that the output
# is either whole or its previous version untouched, with nothing left
# beside it. Needs root (tmpfs mounts).
source "$(dirname "$0")/../integration/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root (tmpfs mounts)"; exit 77; }
P=ipe-policygen
K=ipe-keys
cd "$T" || exit 2
mkdir full ro
trap 'umount -l "$T/full" "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT

# --- inputs: an image, its tree and manifest, a key pair, a policy
head -c 1048576 /dev/urandom >data
$K generate --out-dir keys --cn "ipe-tools fault" >/dev/null 2>&1 || { fail setup "ipe-keys generate"; finish; exit; }
rh=$($P format --salt 00 --seed fault data hash 2>/dev/null) || fail setup "format"
$P manifest data hash -o m.json 2>/dev/null || fail setup "manifest"
$P generate --name fault --version 1.0.0 --manifest m.json -o pol 2>/dev/null || fail setup "generate"
sign_args=(--key keys/signing.key --cert keys/signing.crt)

# expect NAME STATUS NEEDLE CMD...: CMD exits STATUS; when STATUS is not 0,
# stderr is exactly one line and holds NEEDLE (the file it is about).
expect() {
	local name=$1 want=$2 needle=$3 rc=0
	shift 3
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, not $want: $(head -c 300 "$T/err")"
	elif [ "$want" != 0 ] && [ "$(wc -l <"$T/err")" != 1 ]; then
		fail "$name" "not one error line: $(head -c 600 "$T/err")"
	elif [ "$want" != 0 ] && ! grep -qF -- "$needle" "$T/err"; then
		fail "$name" "the error does not name '$needle': $(cat "$T/err")"
	else
		pass "$name"
	fi
}

# The writing verbs, each writing DIR/out (keys generate: the directory DIR/out).
verbs=(format manifest sign_roothash generate sign keys_generate uefi_db)
run_verb() {
	local dir=$1
	case $2 in
	format) $P format --salt 00 --seed fault data "$dir/out" ;;
	manifest) $P manifest data hash -o "$dir/out" ;;
	sign_roothash) $P sign-roothash "${sign_args[@]}" --manifest m.json -o "$dir/out" ;;
	generate) $P generate --name fault --version 1.0.1 --manifest m.json -o "$dir/out" ;;
	sign) $P sign "${sign_args[@]}" -o "$dir/out" pol ;;
	keys_generate) $K generate --out-dir "$dir/out" --cn "ipe-tools fault" ;;
	uefi_db) $K uefi-db keys/signing.crt --esl -o "$dir/out" ;;
	esac
}

# The previous good version of an output (a file, or for keys generate nothing: a new directory).
plant_old() {
	[ "$2" = keys_generate ] && return 0
	printf 'the previous version\n' >"$1/out"
}
# only_out DIR: DIR holds nothing but "out" and "filler" (no temporary file, no partial key).
only_out() {
	local f
	for f in "$1"/* "$1"/.*; do
		case ${f##*/} in
		. | .. | out | filler | '*' | '.*') ;;
		*) return 1 ;;
		esac
	done
}
# The output is the previous version and nothing else appeared.
kept_old() {
	if [ "$2" = keys_generate ]; then
		[ ! -e "$1/out" ] || rmdir "$1/out" 2>/dev/null || return 1
	else
		[ "$(cat "$1/out")" = "the previous version" ] || return 1
	fi
	only_out "$1"
}

# --- a full file system: exit 2, "DIR/out...: ...No space left on device", the old version kept
for v in "${verbs[@]}"; do
	mount -t tmpfs -o size=64k,mode=0755 ipe-fault "$T/full" || { skip fault_full "cannot mount tmpfs"; break; }
	plant_old full "$v"
	dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
	expect "full_fs_$v" 2 "full/out" run_verb full "$v"
	grep -q "No space left on device" "$T/err" || fail "full_fs_${v}_says_why" "$(cat "$T/err")"
	kept_old full "$v" && pass "full_fs_${v}_old_version_kept" || fail "full_fs_${v}_old_version_kept" "$(ls -la full)"
	umount "$T/full"
done

# --- a read-only file system: exit 2, "Read-only file system", the old version kept
for v in "${verbs[@]}"; do
	mount -t tmpfs -o size=1m,mode=0755 ipe-fault "$T/ro" || { skip fault_ro "cannot mount tmpfs"; break; }
	plant_old ro "$v"
	mount -o remount,ro "$T/ro"
	expect "read_only_$v" 2 "ro/out" run_verb ro "$v"
	grep -q "Read-only file system" "$T/err" || fail "read_only_${v}_says_why" "$(cat "$T/err")"
	kept_old ro "$v" && pass "read_only_${v}_old_version_kept" || fail "read_only_${v}_old_version_kept" "$(ls -la ro)"
	umount "$T/ro"
done

# --- too many open files: each verb either succeeds whole or fails with one line, the old version kept
for n in 4 5 6 7; do
	for v in "${verbs[@]}"; do
		rm -rf emfile && mkdir emfile && plant_old emfile "$v"
		rc=0
		(ulimit -n "$n" && run_verb emfile "$v") >/dev/null 2>"$T/err" || rc=$?
		case $rc in
		0) [ "$v" = keys_generate ] && [ -s emfile/out/signing.key ] || [ "$v" != keys_generate ] &&
			! grep -qx "the previous version" emfile/out 2>/dev/null &&
			pass "emfile_${n}_${v}_whole" || fail "emfile_${n}_${v}_whole" "exit 0 but no new output" ;;
		2) [ "$(wc -l <"$T/err")" = 1 ] && grep -q "Too many open files" "$T/err" && kept_old emfile "$v" &&
			pass "emfile_${n}_${v}_refused" || fail "emfile_${n}_${v}_refused" "$(cat "$T/err"; ls -A emfile)" ;;
		*) fail "emfile_${n}_$v" "exit $rc: $(head -c 300 "$T/err")" ;;
		esac
	done
done

# --- an address-space limit: allocation and thread creation fail, never a crash
# limited KB CMD...: CMD with KB KiB of address space. An AddressSanitizer build reserves
# terabytes of it at start, so there its allocator refuses any one allocation over KB/8 KiB
# instead, which takes the same failure paths with ASan watching them.
if ldd "$(command -v "$P")" 2>/dev/null | grep -q libasan; then
	limited() {
		local kb=$1
		shift
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:allocator_may_return_null=1:max_allocation_size_mb=$((kb / 8192))" "$@"
	}
else
	limited() { (ulimit -v "$1" && shift && "$@"); }
fi
big=$(printf 'op=EXECUTE dmverity_roothash=sha256:%064d action=ALLOW\n' $(seq 20000))
{ printf 'policy_name=big policy_version=0.0.1\nDEFAULT action=DENY\n'; echo "$big"; } >big.pol
head -c 16777216 /dev/urandom >data16
for kb in 16384 24576 32768 49152; do
	for cmd in "format --salt 00 --seed fault data16 vm/out" "check big.pol" "sign ${sign_args[*]} -o vm/out big.pol"; do
		rm -rf vm && mkdir vm && plant_old vm format
		rc=0
		# shellcheck disable=SC2086
		limited "$kb" $P $cmd >/dev/null 2>"$T/err" || rc=$?
		name="vmem_${kb}k_${cmd%% *}"
		case $rc in
		0) pass "${name}_ok" ;;
		1 | 2) if [ "$(grep -c -v -e ': warning: ' -e ': note: ' -e '^==[0-9]*==WARNING: AddressSanitizer failed to allocate' "$T/err")" -le 1 ] &&
			{ [ "$rc" = 1 ] || grep -qx "the previous version" vm/out; } &&
			only_out vm; then pass "${name}_refused"
			else fail "$name" "exit $rc: $(head -c 300 "$T/err"); $(ls -A vm)"; fi ;;
		*) fail "$name" "exit $rc (a crash?): $(head -c 300 "$T/err")" ;;
		esac
	done
done

# --- images and hash files
head -c 500000 data >data.trunc
cp hash hash.small && truncate -s 4096 hash.small
expect truncated_image 1 "data.trunc" $P verify data.trunc hash "$rh"
expect hash_file_too_small 1 "hash.small" $P verify data hash.small "$rh"
cp data data.flipped && printf 'x' | dd of=data.flipped bs=1 seek=777777 conv=notrunc 2>/dev/null
expect corrupt_data_block 1 "data.flipped" $P verify data.flipped hash "$rh"
head -c 5000 /dev/urandom >data.odd
expect image_not_whole_blocks 2 "data.odd" $P format --salt 00 --seed fault data.odd hash.odd
# Block sizes that differ from the tree's: without a superblock the tree does not fit them (as
# veritysetup refuses it); with one, the superblock's sizes are used (as veritysetup does).
rh_ns=$($P format --no-superblock --salt 00 data hash.nosb 2>/dev/null)
expect mismatched_block_sizes 1 "hash.nosb" $P verify --no-superblock --salt 00 --data-block-size 512 data hash.nosb "$rh_ns"
expect mismatched_block_sizes_superblock 0 "" $P verify --data-block-size 512 data hash "$rh"
expect salt_257_bytes 2 "--salt" $P format --salt "$(printf '%0514d' 0)" data hash.salt
[ ! -e hash.salt ] && pass salt_257_bytes_no_output || fail salt_257_bytes_no_output
expect wrong_digest_length 2 "sha512" $P generate --name fault --version 1.0.0 --roothash "sha512:$rh"
expect unknown_digest 2 "--roothash" $P generate --name fault --version 1.0.0 --roothash "md5:${rh:0:32}"

# --- root hashes as files: a line end and upper case are the same root hash; NUL, UTF-16 are not
printf '%s\n' "$rh" >rh.newline
printf '%s\r\n' "$rh" >rh.crlf
printf '%s' "$rh" | tr a-f A-F >rh.upper
printf '%s\0' "$rh" >rh.nul
printf '%s\n\n' "$rh" >rh.twolines
printf '%s' "$rh" | iconv -t UTF-16 >rh.utf16
expect roothash_newline 0 "" $P verify data hash --root-hash-file rh.newline
expect roothash_crlf 0 "" $P verify data hash --root-hash-file rh.crlf
expect roothash_upper_case 0 "" $P verify data hash --root-hash-file rh.upper
expect roothash_nul 2 "rh.nul" $P verify data hash --root-hash-file rh.nul
expect roothash_two_lines 2 "rh.twolines" $P verify data hash --root-hash-file rh.twolines
expect roothash_utf16 2 "rh.utf16" $P verify data hash --root-hash-file rh.utf16
expect roothash_utf16_sign 2 "rh.utf16" $P sign-roothash "${sign_args[@]}" --root-hash-file rh.utf16 -o rh.p7s
[ ! -e rh.p7s ] && pass roothash_utf16_sign_no_output || fail roothash_utf16_sign_no_output

# --- policies: NUL bytes, a million rules, a 1 MB line, UTF-16
printf 'policy_name=nul policy_version=0.0.1\nDEFAULT action=ALLOW\n\0op=EXECUTE action=DENY\n' >pol.nul
expect policy_nul 0 "" $P check pol.nul
grep -q "pol.nul:3: warning: NUL byte: the kernel ignores the 23 bytes after it" "$T/out" &&
	pass policy_nul_warned || fail policy_nul_warned "$(cat "$T/out")"
{ printf 'policy_name=million policy_version=0.0.1\nDEFAULT action=DENY\n'; yes 'op=EXECUTE boot_verified=TRUE action=ALLOW' | head -n 1000000; } >pol.million
start=$(date +%s)
expect policy_million_rules_sign 1 "pol.million" $P sign "${sign_args[@]}" -o million.p7b pol.million
grep -q "4194303 bytes" "$T/err" && [ ! -e million.p7b ] && pass policy_million_rules_not_signed ||
	fail policy_million_rules_not_signed "$(cat "$T/err")"
rc=0
$P check pol.million >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "pol.million: note: [0-9]* more diagnostics not shown" "$T/out" &&
	[ "$(wc -l <"$T/out")" -le 1010 ] && [ $(($(date +%s) - start)) -lt 60 ] &&
	pass policy_million_rules_check || fail policy_million_rules_check "exit $rc, $(wc -l <"$T/out") lines"
{ printf 'policy_name=long policy_version=0.0.1\nDEFAULT action=ALLOW\nop=EXECUTE dmverity_roothash=sha256:'
	head -c 1000000 /dev/zero | tr '\0' a; printf ' action=DENY\n'; } >pol.long
expect policy_1mb_line 0 "" $P check pol.long
grep -q "pol.long:3: warning: dmverity_roothash: a sha256 digest is 32 bytes" "$T/out" &&
	pass policy_1mb_line_warned || fail policy_1mb_line_warned "$(head -c 300 "$T/out")"
iconv -t UTF-16 pol >pol.utf16
rc=0
$P check pol.utf16 >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "pol.utf16:1: warning: the text looks like UTF-16" "$T/out" &&
	pass policy_utf16 || fail policy_utf16 "exit $rc: $(cat "$T/out")"

# --- keys and certificates
$K generate --out-dir other --cn "ipe-tools fault other" >/dev/null 2>&1
head -c 300 /dev/urandom >junk.key && chmod 600 junk.key
printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' >junk.crt
cp keys/signing.key world.key && chmod 604 world.key
cp keys/signing.key group.key && chmod 640 group.key
ln -s world.key link-world.key
ln -s junk.key link-junk.key
ln -s junk.crt link-junk.crt
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=noku -days 2 \
	-keyout noku.key -out noku.crt 2>/dev/null && chmod 600 noku.key
expired_cert old
for verb in sign sign-roothash uefi-db; do
	rm -f s.out
	case $verb in
	sign) w=("$P" sign -o s.out pol) ;;
	sign-roothash) w=("$P" sign-roothash --hash sha256 --root-hash-file rh.newline -o s.out) ;;
	uefi-db) w=("$K" uefi-db keys/signing.crt --auth -o s.out) ;;
	esac
	signer=(--key)
	[ "$verb" = uefi-db ] && cert=(--signer-cert) || cert=(--cert)
	c() { "${w[@]}" "${signer[@]}" "$1" "${cert[@]}" "$2"; }
	expect "${verb}_malformed_key" 2 "junk.key" c junk.key keys/signing.crt
	expect "${verb}_malformed_cert" 2 "junk.crt" c keys/signing.key junk.crt
	expect "${verb}_mismatched_key" 2 "other/signing.key" c other/signing.key keys/signing.crt
	expect "${verb}_world_readable_key" 2 "world.key" c world.key keys/signing.crt
	expect "${verb}_group_readable_key" 2 "group.key" c group.key keys/signing.crt
	expect "${verb}_link_to_world_readable_key" 2 "link-world.key" c link-world.key keys/signing.crt
	expect "${verb}_link_to_malformed_key" 2 "link-junk.key" c link-junk.key keys/signing.crt
	expect "${verb}_link_to_malformed_cert" 2 "link-junk.crt" c keys/signing.key link-junk.crt
	[ ! -e s.out ] && pass "${verb}_refusals_leave_no_output" || fail "${verb}_refusals_leave_no_output"
	# The kernel reads no clock and no keyUsage: an expired certificate or one without
	# keyUsage signs what the kernel accepts.
	if [ -s old.crt ]; then
		rm -f s.out
		rc=0
		c old.key old.crt >/dev/null 2>"$T/err" || rc=$?
		[ "$rc" = 0 ] && [ -s s.out ] && pass "${verb}_expired_cert_signs" || fail "${verb}_expired_cert_signs" "exit $rc: $(cat "$T/err")"
	fi
	rm -f s.out
	expect "${verb}_no_key_usage_signs" 0 "" c noku.key noku.crt
done
finish
