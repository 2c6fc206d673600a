#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ipe-keys against independent oracles: openssl (x509, verify, smime), efitools
# (cert-to-efi-sig-list, sign-efi-sig-list) and the host kernel's keyrings.
source "$(dirname "$0")/lib.sh"

K=ipe-keys
mkdir "$T/w" && cd "$T/w" || exit 2

# run NAME WANT_STATUS CMD...: like check_exit, keeping stderr in $T/err for message checks.
run() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	cat "$T/out" "$T/err"
	if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit $rc, expected $want: $*"; fi
}

# err_has NAME TEXT: the last command's stderr contains TEXT.
err_has() {
	if grep -qF -- "$2" "$T/err"; then pass "$1"; else fail "$1" "stderr lacks '$2': $(head -c 300 "$T/err")"; fi
}

mkdir out

# --- verb table and help ------------------------------------------------------
# out_has NAME TEXT: the last command's stdout contains TEXT.
out_has() {
	if grep -qF -- "$2" "$T/out"; then pass "$1"; else fail "$1" "stdout lacks '$2': $(head -c 300 "$T/out")"; fi
}
for verb in generate uefi-db enroll-uefi enroll list verify; do
	run "help_$verb" 0 $K $verb --help
	if [ "$(head -n 1 "$T/out")" = "Usage: $K $verb" ] || head -n 1 "$T/out" | grep -q "^Usage: $K $verb "; then
		pass "help_${verb}_usage_line"
	else fail "help_${verb}_usage_line" "$(head -n 1 "$T/out")"; fi
	# The usage line, an empty line, then the verb's own text.
	if [ "$(sed -n 2p "$T/out")" = "" ] && [ "$(wc -l <"$T/out")" -ge 4 ]; then
		pass "help_${verb}_text"
	else fail "help_${verb}_text" "$(cat "$T/out")"; fi
done
# --help wins over other (even bad) arguments, but not after "--".
run help_after_options 0 $K enroll --keyring nowhere --help
out_has help_after_options_usage "Usage: $K enroll CERT"
run help_after_dashdash_is_an_argument 2 $K enroll -- --help
run help_generate_lists_out_dir 0 $K generate --help
out_has help_generate_out_dir "--out-dir DIR"
run no_verb 2 $K
err_has no_verb_message "no verb given"
run unknown_verb 2 $K frobnicate
err_has unknown_verb_message "unknown verb 'frobnicate'"
run abbreviated_verb 2 $K gen --out-dir out/abbrev
err_has abbreviated_verb_message "unknown verb 'gen'"
[ ! -e out/abbrev ] && pass abbreviated_verb_did_nothing || fail abbreviated_verb_did_nothing
run tool_help 0 $K --help
out_has tool_help_lists_verify "$K verify SIG --cert CERT"

# --- generate ---------------------------------------------------------------
run generate_ca 0 $K generate --out-dir out/ca --ca --cn "ipe-tools test CA"
run generate_leaf 0 $K generate --out-dir out/leaf --cn "Test signer" \
	--issuer-key out/ca/ca.key --issuer-cert out/ca/ca.crt
run generate_other_ca 0 $K generate --out-dir out/otherca --ca --cn "Other CA" --algorithm ec-p384
run generate_other_leaf 0 $K generate --out-dir out/other --issuer-key out/otherca/ca.key --issuer-cert out/otherca/ca.crt
run generate_self_signed_ec 0 $K generate --out-dir out/ec --algorithm ec-p256 --days 30 --cn "EC signer"

text=$(openssl x509 -in out/leaf/signing.crt -noout -text)
for want in "Version: 3" "Signature Algorithm: sha256WithRSAEncryption" "Public-Key: (3072 bit)" \
	"X509v3 Basic Constraints: critical" "CA:FALSE" "X509v3 Key Usage: critical" "Digital Signature" \
	"X509v3 Extended Key Usage:" "Code Signing" "X509v3 Subject Key Identifier:" \
	"X509v3 Authority Key Identifier:" "Issuer: CN = ipe-tools test CA" "Subject: CN = Test signer"; do
	if grep -qF -- "$want" <<<"$text"; then pass "leaf_has: $want"; else fail "leaf_has: $want"; fi
done
catext=$(openssl x509 -in out/ca/ca.crt -noout -text)
for want in "CA:TRUE" "Certificate Sign, CRL Sign" "X509v3 Basic Constraints: critical"; do
	if grep -qF -- "$want" <<<"$catext"; then pass "ca_has: $want"; else fail "ca_has: $want"; fi
done
if grep -q "Digital Signature" <<<"$catext"; then fail ca_without_digitalsignature; else pass ca_without_digitalsignature; fi
# Leaf AKID == CA SKID, and the serial is 16 positive bytes.
ca_skid=$(openssl x509 -in out/ca/ca.crt -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' ')
leaf_akid=$(openssl x509 -in out/leaf/signing.crt -noout -ext authorityKeyIdentifier | tail -n 1 | tr -d ' ')
if [ -n "$ca_skid" ] && [ "$leaf_akid" = "$ca_skid" ]; then pass leaf_akid_is_ca_skid; else fail leaf_akid_is_ca_skid "$leaf_akid vs $ca_skid"; fi
serial=$(openssl x509 -in out/leaf/signing.crt -noout -serial | cut -d= -f2)
if [ ${#serial} = 32 ] && [[ $serial =~ ^[4-7] ]]; then pass serial_128bit_positive; else fail serial_128bit_positive "$serial"; fi
openssl x509 -in out/ec/signing.crt -noout -text | grep -q "ASN1 OID: prime256v1" && pass ec_is_p256 || fail ec_is_p256

check openssl_verify_chain openssl verify -CAfile out/ca/ca.crt out/leaf/signing.crt
check openssl_der_matches_pem cmp out/leaf/signing.der <(openssl x509 -in out/leaf/signing.crt -outform der)
for f in out/ca/ca.key out/leaf/signing.key out/ec/signing.key; do
	m=$(stat -c %a "$f")
	if [ "$m" = 600 ]; then pass "key_mode_0600 $f"; else fail "key_mode_0600 $f" "mode $m"; fi
done
check key_matches_cert cmp <(openssl pkey -in out/leaf/signing.key -pubout) <(openssl x509 -in out/leaf/signing.crt -noout -pubkey)

sum_before=$(cat out/leaf/* | sha256sum)
run refuses_overwrite 2 $K generate --out-dir out/leaf
err_has refuses_overwrite_message "already exists"
if [ "$(cat out/leaf/* | sha256sum)" = "$sum_before" ]; then pass overwrite_left_files_alone; else fail overwrite_left_files_alone; fi

cp -p out/ca/ca.key ca-open.key && chmod 640 ca-open.key
run refuses_group_readable_key 2 $K generate --out-dir out/x1 --issuer-key ca-open.key --issuer-cert out/ca/ca.crt
err_has group_readable_message "ca-open.key: private key is readable by group or others"
[ ! -e out/x1/signing.key ] && pass group_readable_no_output || fail group_readable_no_output
run refuses_non_ca_issuer 2 $K generate --out-dir out/x2 --issuer-key out/leaf/signing.key --issuer-cert out/leaf/signing.crt
err_has non_ca_message "not a CA certificate"
run refuses_mismatched_issuer_key 2 $K generate --out-dir out/x3 --issuer-key out/ec/signing.key --issuer-cert out/ca/ca.crt
err_has mismatch_message "key does not match the certificate"
# An expired CA.
expired_cert old basicConstraints=critical,CA:TRUE keyUsage=critical,keyCertSign
run refuses_expired_issuer 2 $K generate --out-dir out/x4 --issuer-key old.key --issuer-cert old.crt
err_has expired_message "old.crt: the issuer certificate has expired"
echo "not a certificate" >junk.crt
run refuses_malformed_cert 2 $K generate --out-dir out/x5 --issuer-key out/ca/ca.key --issuer-cert junk.crt
err_has malformed_message "junk.crt: not a PEM or DER X.509 certificate"
run unknown_algorithm_is_usage_error 2 $K generate --out-dir out/x6 --algorithm rsa1024

# --out-dir is created like mkdir -p, each new directory 0700; an existing one is left as it is.
mkdir -m 755 out/existing
run generate_creates_out_dir 0 $K generate --out-dir out/existing/deep/er --cn "Nested"
for d in out/existing/deep out/existing/deep/er; do
	m=$(stat -c %a "$d")
	if [ "$m" = 700 ]; then pass "new_dir_mode_0700 $d"; else fail "new_dir_mode_0700 $d" "mode $m"; fi
done
m=$(stat -c %a out/existing)
if [ "$m" = 755 ]; then pass existing_dir_mode_kept; else fail existing_dir_mode_kept "mode $m"; fi
[ -f out/existing/deep/er/signing.key ] && [ -f out/existing/deep/er/signing.crt ] &&
	[ -f out/existing/deep/er/signing.der ] && pass nested_out_dir_has_files || fail nested_out_dir_has_files
sum_before=$(cat out/existing/deep/er/* | sha256sum)
run nested_refuses_overwrite 2 $K generate --out-dir out/existing/deep/er/
err_has nested_refuses_overwrite_message "already exists"
if [ "$(cat out/existing/deep/er/* | sha256sum)" = "$sum_before" ]; then pass nested_left_files_alone; else fail nested_left_files_alone; fi
run generate_ca_beside_signing_key 0 $K generate --out-dir out/existing/deep/er --ca
touch out/plainfile
run out_dir_is_a_file 2 $K generate --out-dir out/plainfile
err_has out_dir_is_a_file_message "out/plainfile: cannot create the output directory"
run out_dir_below_a_file 2 $K generate --out-dir out/plainfile/sub
err_has out_dir_below_a_file_message "out/plainfile/sub: cannot create the output directory"

# --- verify -------------------------------------------------------------------
printf 'policy_name=test policy_version=0.0.1\nDEFAULT action=ALLOW\n' >policy.pol
printf '%s' 4392bbd4e1bdd46d7d0c0a6a5a10a3c1e3e0f1d2c3b4a59687766554433221100 >roothash
openssl smime -sign -binary -noattr -nodetach -nosmimecap -outform der -in policy.pol \
	-signer out/leaf/signing.crt -inkey out/leaf/signing.key -out policy.p7b
openssl smime -sign -binary -noattr -outform der -in roothash \
	-signer out/leaf/signing.crt -inkey out/leaf/signing.key -out roothash.p7s
check openssl_accepts_attached openssl smime -verify -binary -inform der -in policy.p7b \
	-CAfile out/ca/ca.crt -purpose any -out /dev/null
check openssl_accepts_detached openssl smime -verify -binary -inform der -in roothash.p7s \
	-content roothash -CAfile out/ca/ca.crt -purpose any -out /dev/null
run verify_attached 0 $K verify policy.p7b --cert out/leaf/signing.crt
grep -qx "content: policy_name=test policy_version=0.0.1" "$T/out" && pass verify_prints_policy_header || fail verify_prints_policy_header
run verify_detached 0 $K verify roothash.p7s --cert out/leaf/signing.der --data roothash
cp policy.p7b flipped.p7b
# Flip one byte of the embedded policy text (the content sits before the signature).
off=$(grep -obaF "DEFAULT" flipped.p7b | head -n 1 | cut -d: -f1)
printf 'X' | dd of=flipped.p7b bs=1 seek="$off" conv=notrunc 2>/dev/null
run verify_rejects_flipped_content 1 $K verify flipped.p7b --cert out/leaf/signing.crt
if openssl smime -verify -binary -inform der -in flipped.p7b -CAfile out/ca/ca.crt -purpose any -out /dev/null 2>/dev/null; then
	fail openssl_also_rejects_flipped
else pass openssl_also_rejects_flipped; fi
sz=$(stat -c %s roothash.p7s)
cp roothash.p7s flipped.p7s
printf '\x55' | dd of=flipped.p7s bs=1 seek=$((sz - 10)) conv=notrunc 2>/dev/null
run verify_rejects_flipped_signature 1 $K verify flipped.p7s --cert out/leaf/signing.crt --data roothash
printf '%s\n' "$(cat roothash)" >roothash.nl
run verify_rejects_trailing_newline 1 $K verify roothash.p7s --cert out/leaf/signing.crt --data roothash.nl
: >empty.dat
openssl smime -sign -binary -noattr -outform der -in empty.dat \
	-signer out/leaf/signing.crt -inkey out/leaf/signing.key -out empty.p7s
run verify_detached_empty_data 0 $K verify empty.p7s --cert out/leaf/signing.crt --data empty.dat
run verify_empty_signature_rejects_data 1 $K verify empty.p7s --cert out/leaf/signing.crt --data roothash
run verify_rejects_other_cert 1 $K verify roothash.p7s --cert out/ec/signing.crt --data roothash
err_has other_cert_message "not signed by"
run verify_detached_needs_data 1 $K verify roothash.p7s --cert out/leaf/signing.crt
err_has needs_data_message "--data"
run verify_not_pkcs7 1 $K verify roothash --cert out/leaf/signing.crt
run verify_missing_file 2 $K verify nonexistent.p7s --cert out/leaf/signing.crt
# The CA lacks digitalSignature: a signature by it is valid for the kernel, with a warning.
openssl smime -sign -binary -noattr -outform der -in roothash -signer out/ca/ca.crt \
	-inkey out/ca/ca.key -out ca-signed.p7s
run verify_warns_on_key_usage 0 $K verify ca-signed.p7s --cert out/ca/ca.crt --data roothash
err_has key_usage_warning "keyUsage lacks digitalSignature"

# --- uefi-db against efitools ---------------------------------------------------
if command -v cert-to-efi-sig-list >/dev/null && command -v sign-efi-sig-list >/dev/null; then
	G=11111111-2222-3333-4444-555555555555
	TS="2025-06-07 08:09:10"
	cert-to-efi-sig-list -g $G out/leaf/signing.crt oracle.esl >/dev/null
	run uefi_db_esl 0 $K uefi-db out/leaf/signing.crt --esl --owner $G -o mine.esl
	check esl_identical_to_efitools cmp mine.esl oracle.esl
	sign-efi-sig-list -t "$TS" -k out/leaf/signing.key -c out/leaf/signing.crt db oracle.esl oracle.auth >/dev/null
	run uefi_db_auth 0 $K uefi-db out/leaf/signing.crt --auth --key out/leaf/signing.key --owner $G --timestamp "$TS" -o mine.auth
	check auth_identical_to_efitools cmp mine.auth oracle.auth
	run uefi_db_payload 0 $K uefi-db out/leaf/signing.crt --key out/leaf/signing.key --owner $G --timestamp "$TS" -o mine.var
	check payload_attributes_0x27 cmp <(head -c 4 mine.var) <(printf '\x27\x00\x00\x00')
	check payload_is_attributes_plus_auth cmp <(tail -c +5 mine.var) oracle.auth
	sign-efi-sig-list -a -t "$TS" -k out/leaf/signing.key -c out/leaf/signing.crt db oracle.esl oracle-append.auth >/dev/null
	run uefi_db_append 0 $K uefi-db out/leaf/signing.crt --append --key out/leaf/signing.key --owner $G --timestamp "$TS" -o mine-append.var
	check append_attributes_0x67 cmp <(head -c 4 mine-append.var) <(printf '\x67\x00\x00\x00')
	check append_identical_to_efitools cmp <(tail -c +5 mine-append.var) oracle-append.auth
	# Signed with a KEK-style signer that is not the enrolled certificate.
	sign-efi-sig-list -t "$TS" -k out/ca/ca.key -c out/ca/ca.crt db oracle.esl oracle-kek.auth >/dev/null
	run uefi_db_signer_cert 0 $K uefi-db out/leaf/signing.crt --auth --key out/ca/ca.key --signer-cert out/ca/ca.crt --owner $G --timestamp "$TS" -o mine-kek.auth
	check signer_cert_identical_to_efitools cmp mine-kek.auth oracle-kek.auth
else
	skip uefi_db_oracle "efitools not installed (tests/deps.sh check)"
fi
run uefi_db_default_owner 0 $K uefi-db out/leaf/signing.der --esl -o default.esl
check default_owner_guid cmp <(head -c 44 default.esl | tail -c 16 | od -An -tx1 | tr -d ' \n') \
	<(printf '4ee66faa8c29a9418d4f11f326952b7b')
run uefi_db_unsigned 0 $K uefi-db out/leaf/signing.crt --timestamp "2025-01-01 00:00:00" -o unsigned.var
# attributes(4) + EFI_TIME(16) + dwLength(4) = 24: no CertData, then the signature list.
check unsigned_dwlength_24 cmp <(head -c 24 unsigned.var | tail -c 4) <(printf '\x18\x00\x00\x00')
check unsigned_carries_esl cmp <(tail -c +45 unsigned.var) default.esl
run uefi_db_wrong_key 2 $K uefi-db out/leaf/signing.crt --key out/ec/signing.key -o x.var
err_has uefi_db_wrong_key_message "key does not match the certificate"
[ ! -e x.var ] && pass uefi_db_no_partial_output || fail uefi_db_no_partial_output
run uefi_db_bad_timestamp 2 $K uefi-db out/leaf/signing.crt --timestamp yesterday -o y.var
run uefi_db_bad_cert 2 $K uefi-db junk.crt -o z.var
err_has uefi_db_bad_cert_message "junk.crt: not a PEM or DER X.509 certificate"

# --- enroll-uefi (the real write is exercised in the VM) -------------------------
if [ ! -d /sys/firmware/efi ]; then
	run enroll_uefi_refuses_without_efi 2 $K enroll-uefi out/leaf/signing.crt
	err_has enroll_uefi_message "not booted through UEFI"
else
	skip enroll_uefi_refuses_without_efi "this host booted through UEFI; not touching its db"
fi

# --- enroll / list against the host kernel's keyrings -------------------------------
asym_ok=0
# shellcheck disable=SC2016 # $1 and $(...) are the inner sh's
if command -v keyctl >/dev/null &&
	keyctl session - sh -c 'r=$(keyctl newring probe @s) && keyctl padd asymmetric "" "$r" <"$1" >/dev/null' _ out/leaf/signing.der 2>/dev/null; then
	asym_ok=1
fi
if [ $asym_ok = 1 ]; then
	# Everything below runs in a private session keyring: the user's keyrings stay untouched.
	keyctl session - bash -s "$K" >"$T/session.log" 2>&1 <<'EOF'
K=$1
ok() { echo "PASS $1"; }
ko() { echo "FAIL $1: ${2:-failed}"; }
ring=ipe-keys-test-$$
keyctl newring "$ring" @s >/dev/null
if $K enroll out/leaf/signing.crt --keyring "$ring" >out.txt 2>err.txt; then ok enroll_named_keyring; else ko enroll_named_keyring "$(cat err.txt)"; fi
shown=$(keyctl show @s)
# The description ipe-keys predicts is the one the kernel chose.
pred=$(sed -n 's/.*as key [0-9]* "\(.*\)"$/\1/p' out.txt)
if [ -n "$pred" ] && grep -qF "asymmetric: $pred" <<<"$shown"; then ok kernel_description_matches; else ko kernel_description_matches "predicted '$pred', keyctl: $shown"; fi
if $K enroll out/leaf/signing.crt --keyring "$ring" 2>&1 | grep -q "already in"; then ok enroll_idempotent; else ko enroll_idempotent; fi
if $K list --keyring "$ring" --cert out/leaf/signing.crt >list.txt 2>&1; then ok list_cert_present; else ko list_cert_present "$(cat list.txt)"; fi
grep -qF "* " list.txt && ok list_marks_match || ko list_marks_match
$K list --keyring "$ring" --cert out/ec/signing.crt >/dev/null 2>&1
[ $? = 1 ] && ok list_cert_absent_exit_1 || ko list_cert_absent_exit_1
if $K list --keyring "$ring" --json --cert out/leaf/signing.crt >list.json 2>/dev/null &&
	python3 -c 'import json,sys; d=json.load(open("list.json")); assert d["cert"]["present"] and d["keyrings"][0]["keys"][0]["matches_cert"]' 2>/dev/null; then
	ok list_json
else ko list_json "$(cat list.json)"; fi
# The system keyrings are found through /proc/keys, as the kernel lists them.
if grep -q ' keyring *\.builtin_trusted_keys:' /proc/keys; then want='^\.builtin_trusted_keys (keyring [0-9]*): [0-9]* key'; else want='^\.builtin_trusted_keys: not present'; fi
$K list >list-default.txt 2>&1 && grep -q "$want" list-default.txt && ok list_system_keyrings || ko list_system_keyrings "$(cat list-default.txt)"

# A keyring restricted like .secondary_trusted_keys: only keys signed by the CA get in.
ca_ring=$(keyctl newring ipe-keys-ca-$$ @s)
keyctl padd asymmetric "" "$ca_ring" <out/ca/ca.der >/dev/null
strict=$(keyctl newring ipe-keys-strict-$$ @s)
keyctl restrict_keyring "$strict" asymmetric "key_or_keyring:$ca_ring"
if $K enroll out/leaf/signing.crt --keyring "$strict" >/dev/null 2>err.txt; then ok kernel_accepts_ca_issued_leaf; else ko kernel_accepts_ca_issued_leaf "$(cat err.txt)"; fi
$K enroll out/other/signing.crt --keyring "$strict" >/dev/null 2>err.txt
rc=$?
akid=$(openssl x509 -in out/other/signing.crt -noout -ext authorityKeyIdentifier | tail -n 1 | tr -d ' :' | tr A-F a-f)
if [ $rc = 2 ] && grep -q 'issuer "CN=Other CA"' err.txt && grep -q "$akid" err.txt; then ok rejection_names_issuer_and_akid; else ko rejection_names_issuer_and_akid "rc=$rc $(cat err.txt)"; fi
$K generate --out-dir self --cn "Self signed" >/dev/null
$K enroll self/signing.crt --keyring "$strict" >/dev/null 2>err.txt
grep -q "self-signed" err.txt && ok rejection_self_signed_message || ko rejection_self_signed_message "$(cat err.txt)"
$K enroll out/leaf/signing.crt >/dev/null 2>err.txt
rc=$?
if [ $rc = 2 ] && grep -q ".secondary_trusted_keys" err.txt; then ok secondary_actionable_message; else ko secondary_actionable_message "rc=$rc $(cat err.txt)"; fi
$K enroll out/leaf/signing.crt --keyring .builtin_trusted_keys >/dev/null 2>err.txt
rc=$?
if [ $rc = 2 ] && grep -q "does not accept keys" err.txt; then ok builtin_not_writable_message; else ko builtin_not_writable_message "rc=$rc $(cat err.txt)"; fi
$K enroll out/leaf/signing.crt --keyring no-such-ring-$$ >/dev/null 2>err.txt
[ $? = 2 ] && grep -q "not found" err.txt && ok unknown_keyring_message || ko unknown_keyring_message "$(cat err.txt)"
# A self-signed EC certificate: the kernel needs ECDSA to check its self-signature.
if $K enroll out/ec/signing.crt --keyring "$ring" >out.txt 2>err.txt || grep -q "lacks the certificate's key or signature algorithm" err.txt; then
	ok ec_enrolled_or_explained
else ko ec_enrolled_or_explained "$(cat err.txt)"; fi
# Subject with O and CN: the kernel's name fabrication, checked against the kernel itself.
openssl req -x509 -newkey rsa:2048 -nodes -keyout on.key -out on.crt \
	-subj "/O=Acme Corp/CN=Build signer" -days 2 2>/dev/null
if $K enroll on.crt --keyring "$ring" >out.txt 2>&1 && keyctl show @s | grep -qF "asymmetric: Acme Corp: Build signer: "; then
	ok kernel_description_o_cn
else ko kernel_description_o_cn "$(cat out.txt)"; fi
EOF
	grep -vE '^(PASS|FAIL|SKIP) ' "$T/session.log" | sed 's/^/  | /'
	while read -r line; do
		case $line in PASS*) pass "${line#PASS }" ;; FAIL*) l=${line#FAIL }; fail "${l%%:*}" "${l#*: }" ;; esac
	done < <(grep -E '^(PASS|FAIL) ' "$T/session.log")
else
	skip enroll_list_keyrings "the host kernel has no usable \"asymmetric\" key type (keyctl padd asymmetric failed)"
fi

finish
