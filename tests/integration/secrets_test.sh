#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# No private key material reaches a log or an error message: every output
# (standard output and error) of failing sign, sign-roothash and uefi-db,
# and of private keys given where a certificate, policy, root hash, manifest
# or candidate policy is expected, is searched for the key's bytes in every
# form: any 16 characters of its PEM base64, any 8 bytes of its DER, any 16
# hex digits of its private value (plain or colon-separated, as openssl
# prints it), and any 8 bytes of the raw private value.
source "$(dirname "$0")/lib.sh"

P=ipe-policygen
K=ipe-keys
cd "$T" || exit 2
printf 'policy_name=s policy_version=0.0.1\nDEFAULT action=ALLOW\n' >pol
printf '%064d\n' 7 >rh
for alg in ec-p256 rsa3072; do
	$K generate --out-dir "$alg" --algorithm "$alg" --cn "ipe-tools secrets" >/dev/null 2>&1 ||
		fail "generate_$alg"
done
$K generate --out-dir other --cn "ipe-tools other" >/dev/null 2>&1

# leaks OUTPUT KEY: python finds any piece of KEY in OUTPUT; prints what it found.
leaks() {
	python3 - "$1" "$2" <<'PY'
import base64, re, subprocess, sys
out = open(sys.argv[1], "rb").read()
pem = open(sys.argv[2], "rb").read()
b64 = b"".join(l for l in pem.splitlines() if not l.startswith(b"-----"))
der = base64.b64decode(b64)
text = subprocess.run(["openssl", "pkey", "-in", sys.argv[2], "-noout", "-text"], capture_output=True).stdout
# the private value: the hex block after "priv:" (EC) or "privateExponent:" (RSA)
m = re.search(rb"(?:priv|privateExponent):\s*\n((?:\s+[0-9a-f:]+\n)+)", text)
priv_hex = re.sub(rb"[\s:]", b"", m.group(1)) if m else b""
pieces = [b64[i:i + 16] for i in range(0, len(b64) - 16)]
pieces += [der[i:i + 8] for i in range(0, len(der) - 8)]
pieces += [priv_hex[i:i + 16] for i in range(0, len(priv_hex) - 16)]
raw = bytes.fromhex(priv_hex.decode()) if priv_hex else b""
pieces += [raw[i:i + 8] for i in range(0, len(raw) - 8)]
flat = re.sub(rb"[\s:]", b"", out)
assert priv_hex and len(pieces) > 100, "no key material to look for"
for p in pieces:
    if p in out or p.lower() in flat.lower():
        print("found", p[:16])
        sys.exit(0)
sys.exit(1)
PY
}

# try NAME KEY CMD...: CMD fails (exit 1 or 2; with ANY_EXIT=1, any exit below
# 128), and nothing of KEY is in its output.
try() {
	local name=$1 key=$2 rc=0
	shift 2
	"$@" >"$T/out" 2>&1 </dev/null || rc=$?
	if [ "${ANY_EXIT:-}" = 1 ] && [ "$rc" -lt 128 ]; then
		:
	elif [ "$rc" != 1 ] && [ "$rc" != 2 ]; then
		fail "$name" "exit $rc, a failure was expected: $(head -c 300 "$T/out")"
	elif found=$(leaks "$T/out" "$key"); then
		fail "$name" "key material in the output ($found)"
	else
		pass "$name"
	fi
}

# The search finds the key in its own file and in openssl's print of it.
for alg in ec-p256 rsa3072; do
	openssl pkey -in "$alg/signing.key" -noout -text >printed 2>/dev/null
	leaks "$alg/signing.key" "$alg/signing.key" >/dev/null && leaks printed "$alg/signing.key" >/dev/null &&
		pass "${alg}_search_finds_the_key" || fail "${alg}_search_finds_the_key"
done

for alg in ec-p256 rsa3072; do
	key=$alg/signing.key crt=$alg/signing.crt
	cp "$key" open.key && chmod 644 open.key
	mkdir -p ro && chmod 555 ro
	for verb in sign sign-roothash uefi-db; do
		case $verb in
		sign) w=("$P" sign --key) c=(--cert) tail=(-o out.p7b pol) ;;
		sign-roothash) w=("$P" sign-roothash --key) c=(--cert) tail=(--root-hash-file rh -o out.p7s) ;;
		uefi-db) w=("$K" uefi-db other/signing.crt --auth --key) c=(--signer-cert) tail=(-o out.auth) ;;
		esac
		n="${alg}_${verb}"
		try "${n}_key_as_cert" "$key" "${w[@]}" "$key" "${c[@]}" "$key" "${tail[@]}"
		try "${n}_mismatched_cert" "$key" "${w[@]}" "$key" "${c[@]}" other/signing.crt "${tail[@]}"
		try "${n}_group_readable_key" "$key" "${w[@]}" open.key "${c[@]}" "$crt" "${tail[@]}"
		try "${n}_output_is_a_directory" "$key" "${w[@]}" "$key" "${c[@]}" "$crt" "${tail[@]:0:${#tail[@]}-1}" /
		try "${n}_key_as_output_dir" "$key" "${w[@]}" "$key" "${c[@]}" "$crt" "${tail[@]:0:${#tail[@]}-1}" /nonexistent/x
	done
	try "${alg}_sign_key_as_policy" "$key" $P sign --key "$key" --cert "$crt" -o out.p7b "$key"
	try "${alg}_sign_roothash_key_as_roothash" "$key" $P sign-roothash --key "$key" --cert "$crt" --root-hash-file "$key" -o out.p7s
	try "${alg}_sign_roothash_key_as_manifest" "$key" $P sign-roothash --key "$key" --cert "$crt" --manifest "$key" -o out.p7s
	try "${alg}_check_key" "$key" $P check "$key"
	try "${alg}_check_json_key" "$key" $P check --json "$key"
	try "${alg}_generate_key_as_manifest" "$key" $P generate --name s --version 1.0.0 --manifest "$key"
	try "${alg}_generate_version_from_key" "$key" $P generate --version-from "$key" --roothash "sha256:$(head -c 64 rh)"
	try "${alg}_keys_verify_key" "$key" $K verify "$key" --cert "$crt"
	try "${alg}_keys_enroll_key" "$key" $K enroll "$key" --keyring nonexistent-keyring
	if command -v ipe-auditd >/dev/null; then
		try "${alg}_auditd_gate_key_as_log" "$key" ipe-auditd gate "$key"
		ANY_EXIT=1 try "${alg}_auditd_report_key_as_log" "$key" ipe-auditd report "$key"
		try "${alg}_auditd_run_key_as_policy" "$key" ipe-auditd run --policy "$key" --backend tracepoint --duration 1
	fi
done
finish
