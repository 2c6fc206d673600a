# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The corpus of signature shapes (sourced, never run): sig_shapes_keys makes
# the keys, sig_shapes DIR POLICY ROOTHASH_FILE writes DIR/p-NAME.p7b
# (attached, for new_policy) and DIR/r-NAME.p7s (detached, for
# `veritysetup open --root-hash-signature`), made with `openssl smime`,
# `openssl cms`, the project's signers and tests/vm/host/sig-craft.c. What the
# kernel answered for each is in tests/data/sigs/kernel-6.12.tsv.
#
# Needs $O, $T, $VM_DIR (tests/vm), python3, cc, and the test key VM_KEY/VM_CERT (in UEFI db → .platform).
# Trusted besides it (enrolled into db by the scenario): DIR/ca.crt, an RSA CA
# (OVMF takes only RSA certificates into db). Not trusted themselves:
# other (self-signed RSA), and leaf, ec (ECDSA P-256) and old (valid
# 2000-2001 only), all three issued by the CA.

# sig_shapes_keys DIR: the keys above, in DIR/{ca,leaf,ec,old,other}.{crt,key}.
sig_shapes_keys() {
	local d=$1
	mkdir -p "$d"
	"$O/ipe-keys" generate --out-dir "$d/ca-dir" --ca --cn "ipe-tools sigs CA" >&2 &&
		"$O/ipe-keys" generate --out-dir "$d/leaf-dir" --cn "ipe-tools sigs leaf" \
			--issuer-key "$d/ca-dir/ca.key" --issuer-cert "$d/ca-dir/ca.crt" >&2 &&
		"$O/ipe-keys" generate --out-dir "$d/other-dir" --cn "ipe-tools sigs untrusted key" >&2 || return 1
	cp "$d/ca-dir/ca.key" "$d/ca.key" && cp "$d/ca-dir/ca.crt" "$d/ca.crt" &&
		cp "$d/leaf-dir/signing.key" "$d/leaf.key" && cp "$d/leaf-dir/signing.crt" "$d/leaf.crt" &&
		cp "$d/other-dir/signing.key" "$d/other.key" && cp "$d/other-dir/signing.crt" "$d/other.crt" || return 1
	# A leaf valid 2000-2001 only: `openssl ca` sets any validity window.
	mkdir -p "$d/ca-db"
	: >"$d/ca-db/index.txt"
	echo 1000 >"$d/ca-db/serial"
	cat >"$d/ca-db/ca.cnf" <<EOF
[ca]
default_ca = old
[old]
database = $d/ca-db/index.txt
serial = $d/ca-db/serial
new_certs_dir = $d/ca-db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
keyUsage = digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=ipe-tools sigs expired leaf" \
		-keyout "$d/old.key" -out "$d/old.csr" 2>/dev/null &&
		openssl ca -batch -config "$d/ca-db/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" \
			-startdate 20000101000000Z -enddate 20011231235959Z -in "$d/old.csr" -out "$d/old.crt" \
			>/dev/null 2>&1 &&
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-subj "/CN=ipe-tools sigs ECDSA leaf" -keyout "$d/ec.key" -out "$d/ec.csr" 2>/dev/null &&
		openssl ca -batch -config "$d/ca-db/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" -days 3650 \
			-in "$d/ec.csr" -out "$d/ec.crt" >/dev/null 2>&1
}

# sig_shapes DIR KEYS POLICY ROOTHASH_FILE
sig_shapes() {
	local out=$1 k=$2 pol=$3 rh=$4 n s
	local me=(-signer "$VM_CERT" -inkey "$VM_KEY")
	mkdir -p "$out"
	printf '%s' "$(tr a-f A-F <"$rh")" >"$T/rh.upper"
	printf '%s\n' "$(cat "$rh")" >"$T/rh.newline"

	# p NAME ARGS...: an attached policy signature, made by ARGS (openssl's
	# smime or cms verb and its options, without -in/-out).
	p() { n=$1; shift; openssl "$@" -in "$pol" -out "$out/p-$n.p7b" 2>"$T/shape.err" || sig_shape_failed "p-$n"; }
	# r NAME ARGS...: a detached root-hash signature over the hex in $rh.
	r() { n=$1; shift; openssl "$@" -in "$rh" -out "$out/r-$n.p7s" 2>"$T/shape.err" || sig_shape_failed "r-$n"; }

	# The project's signers.
	"$O/ipe-policygen" sign --key "$VM_KEY" --cert "$VM_CERT" -o "$out/p-project.p7b" "$pol" >&2
	"$O/ipe-policygen" sign --key "$VM_KEY" --cert "$VM_CERT" --nocerts -o "$out/p-project-nocerts.p7b" "$pol" >&2
	"$O/ipe-policygen" sign-roothash --key "$VM_KEY" --cert "$VM_CERT" -o "$out/r-project.p7s" "$(cat "$rh")" >&2

	# The documented command, and openssl's defaults around it.
	p smime-noattr smime -sign -nodetach -binary -noattr -outform der "${me[@]}"
	r smime-noattr smime -sign -binary -noattr -outform der "${me[@]}"
	# Field case 1: signed attributes with S/MIME capabilities.
	p smime-attrs smime -sign -nodetach -binary -outform der "${me[@]}"
	r smime-attrs smime -sign -binary -outform der "${me[@]}"
	p smime-nosmimecap smime -sign -nodetach -binary -nosmimecap -outform der "${me[@]}"
	r smime-nosmimecap smime -sign -binary -nosmimecap -outform der "${me[@]}"
	p cms-attrs cms -sign -nodetach -binary -outform der "${me[@]}"
	# Field case 2: the signer named by subject key identifier.
	p cms-keyid-noattr cms -sign -nodetach -binary -keyid -noattr -outform der "${me[@]}"
	r cms-keyid-noattr cms -sign -binary -keyid -noattr -outform der "${me[@]}"
	p cms-keyid-nosmimecap cms -sign -nodetach -binary -keyid -nosmimecap -outform der "${me[@]}"
	r cms-keyid-nosmimecap cms -sign -binary -keyid -nosmimecap -outform der "${me[@]}"
	p cms-keyid-attrs cms -sign -nodetach -binary -keyid -outform der "${me[@]}"

	# The certificate only in the keyring.
	p nocerts smime -sign -nodetach -binary -noattr -nocerts -outform der "${me[@]}"
	r nocerts smime -sign -binary -noattr -nocerts -outform der "${me[@]}"
	p nocerts-nosmimecap smime -sign -nodetach -binary -nosmimecap -nocerts -outform der "${me[@]}"

	# Digests and key types.
	local md
	for md in sha1 sha224 sha384 sha512 sha3-256 md5; do
		p "md-$md" smime -sign -nodetach -binary -noattr -md "$md" -outform der "${me[@]}"
	done
	p md-sha512-nosmimecap smime -sign -nodetach -binary -nosmimecap -md sha512 -outform der "${me[@]}"
	p rsa-pss cms -sign -nodetach -binary -noattr -outform der "${me[@]}" -keyopt rsa_padding_mode:pss
	openssl req -x509 -newkey rsa:3000 -nodes -days 3650 -subj "/CN=ipe-tools sigs RSA-3000 key" \
		-keyout "$T/rsa3000.key" -out "$T/rsa3000.crt" 2>/dev/null || sig_shape_failed p-rsa-3000-in-bag
	p rsa-3000-in-bag smime -sign -nodetach -binary -noattr -outform der -signer "$T/rsa3000.crt" \
		-inkey "$T/rsa3000.key"
	p ecdsa smime -sign -nodetach -binary -noattr -outform der -signer "$k/ec.crt" -inkey "$k/ec.key"
	r ecdsa smime -sign -binary -noattr -outform der -signer "$k/ec.crt" -inkey "$k/ec.key"
	p ecdsa-nosmimecap smime -sign -nodetach -binary -nosmimecap -outform der -signer "$k/ec.crt" -inkey "$k/ec.key"
	p ecdsa-sha384 smime -sign -nodetach -binary -noattr -md sha384 -outform der -signer "$k/ec.crt" -inkey "$k/ec.key"
	p ecdsa-keyid cms -sign -nodetach -binary -noattr -keyid -outform der -signer "$k/ec.crt" -inkey "$k/ec.key"

	# Trust: an unknown key, chains to a trusted CA, several signers.
	p untrusted smime -sign -nodetach -binary -noattr -outform der -signer "$k/other.crt" -inkey "$k/other.key"
	r untrusted smime -sign -binary -noattr -outform der -signer "$k/other.crt" -inkey "$k/other.key"
	p chain-leaf smime -sign -nodetach -binary -noattr -outform der -signer "$k/leaf.crt" -inkey "$k/leaf.key"
	r chain-leaf smime -sign -binary -noattr -outform der -signer "$k/leaf.crt" -inkey "$k/leaf.key"
	p chain-leaf-ca smime -sign -nodetach -binary -noattr -outform der -signer "$k/leaf.crt" -inkey "$k/leaf.key" \
		-certfile "$k/ca.crt"
	p chain-nocerts smime -sign -nodetach -binary -noattr -nocerts -outform der -signer "$k/leaf.crt" -inkey "$k/leaf.key"
	p chain-keyid cms -sign -nodetach -binary -noattr -keyid -outform der -signer "$k/leaf.crt" -inkey "$k/leaf.key"
	p multi-trusted-first smime -sign -nodetach -binary -noattr -outform der "${me[@]}" \
		-signer "$k/other.crt" -inkey "$k/other.key"
	p multi-untrusted-first smime -sign -nodetach -binary -noattr -outform der \
		-signer "$k/other.crt" -inkey "$k/other.key" "${me[@]}"
	p multi-nosmimecap smime -sign -nodetach -binary -nosmimecap -outform der "${me[@]}" \
		-signer "$k/other.crt" -inkey "$k/other.key"

	# The signed signing time against the signer's validity (2000-2001).
	p window-nosmimecap smime -sign -nodetach -binary -nosmimecap -outform der -signer "$k/old.crt" -inkey "$k/old.key"
	r window-nosmimecap smime -sign -binary -nosmimecap -outform der -signer "$k/old.crt" -inkey "$k/old.key"
	p window-noattr smime -sign -nodetach -binary -noattr -outform der -signer "$k/old.crt" -inkey "$k/old.key"
	p window-keyid cms -sign -nodetach -binary -nosmimecap -keyid -outform der -signer "$k/old.crt" -inkey "$k/old.key"

	# Attached versus detached, and what is signed.
	openssl smime -sign -binary -noattr -outform der "${me[@]}" -in "$pol" -out "$out/p-detached.p7b"
	openssl smime -sign -nodetach -binary -noattr -outform der "${me[@]}" -in "$rh" -out "$out/r-attached.p7s"
	openssl smime -sign -binary -noattr -outform der "${me[@]}" -in "$T/rh.upper" -out "$out/r-uppercase.p7s"
	openssl smime -sign -binary -noattr -outform der "${me[@]}" -in "$T/rh.newline" -out "$out/r-newline.p7s"
	p econtent-type cms -sign -nodetach -binary -noattr -econtent_type 1.3.6.1.4.1.99999.1 -outform der "${me[@]}"

	# Encodings: PEM, BER with indefinite lengths (-stream), trailing bytes.
	p pem smime -sign -nodetach -binary -noattr -outform pem "${me[@]}"
	p ber smime -sign -nodetach -binary -noattr -stream -outform der "${me[@]}"
	r ber smime -sign -binary -noattr -stream -outform der "${me[@]}"
	r ber-cms cms -sign -binary -noattr -stream -outform der "${me[@]}"
	p ber-cms cms -sign -nodetach -binary -noattr -stream -outform der "${me[@]}"
	cp "$out/p-smime-noattr.p7b" "$out/p-trailing.p7b"
	# Sizes around asn1_ber_decoder()'s limit of 65535 bytes for the whole blob.
	{ cat "$pol"; for n in $(seq 840); do printf '# %070d\n' "$n"; done; } >"$T/pol.63k"
	{ cat "$pol"; for n in $(seq 1000); do printf '# %070d\n' "$n"; done; } >"$T/pol.70k"
	openssl smime -sign -nodetach -binary -noattr -outform der "${me[@]}" -in "$T/pol.63k" -out "$out/p-size-63k.p7b"
	openssl smime -sign -nodetach -binary -noattr -outform der "${me[@]}" -in "$T/pol.70k" -out "$out/p-size-70k.p7b"
	head -c 16 /dev/zero >>"$out/p-trailing.p7b"

	# Tampered content: one byte of the policy text inside the blob.
	sig_tamper "$out/p-smime-noattr.p7b" "$out/p-tampered-noattr.p7b"
	sig_tamper "$out/p-smime-nosmimecap.p7b" "$out/p-tampered-attrs.p7b"

	# The shapes no openssl command line makes.
	cc -std=gnu11 -O2 -Wall -Wextra -o "$T/sig-craft" "$VM_DIR/host/sig-craft.c" -lcrypto || return 1
	for s in repeated-attr unknown-attr ms-opus-info mixed-attrs string-time; do
		"$T/sig-craft" "$s" "$VM_CERT" "$VM_KEY" "$k/other.crt" "$k/other.key" "$pol" "$out/p-$s.p7b" ||
			echo "p-$s" >>"$T/shapes-failed"
	done
	unset -f p r
}

sig_shape_failed() {
	echo "$1: openssl could not make this shape: $(tail -n 1 "$T/shape.err")" >&2
	echo "$1" >>"$T/shapes-failed"
}

# sig_predict SIG KEYS [DATA]: what ipe-keys verify says the kernel returns
# (0 or the errno's name), with the certificates .platform holds.
sig_predict() {
	local out
	if out=$("$O/ipe-keys" verify --cert "$VM_CERT" --cert "$2/ca.crt" ${3:+--data "$3"} "$1" 2>&1); then
		echo 0
	else
		out=$(sed -n 's/.*(the kernel returns \(E[A-Z0-9]*\)).*/\1/p' <<<"$out" | head -n 1)
		echo "${out:-none}"
	fi
}

# sig_tamper IN OUT: IN with "policy_name" spelled "policy_nbme".
sig_tamper() {
	python3 - "$1" "$2" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
i = b.index(b"policy_name")
open(sys.argv[2], "wb").write(b[:i + 8] + b"b" + b[i + 9:])
PY
}
