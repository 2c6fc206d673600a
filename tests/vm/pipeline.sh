# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The image build pipeline as the scenarios run it (sourced by tests/vm/lib.sh),
# with the project's tools: format a verity image, sign its root hash,
# generate and sign a policy. Their outputs are judged in the VM by the
# kernel and by veritysetup.

# vm_format NAME DATA HASH: format HASH for DATA (reproducibly, seeded by
# NAME); prints the root hash and leaves the manifest in HASH.json.
vm_format() {
	local name=$1 data=$2 hash=$3 rh
	rh=$("$O/ipe-policygen" format --seed "ipe-tools-vm-$name" --manifest "$hash.json" "$data" "$hash") ||
		return 1
	grep -q "\"root_hash\": *\"$rh\"" "$hash.json" || {
		vm_say "$name: the manifest $hash.json does not record the root hash $rh"
		return 1
	}
	echo "$rh"
}

# vm_sign_roothash ROOTHASH OUT: detached PKCS#7 over the hex root hash.
vm_sign_roothash() {
	"$O/ipe-policygen" sign-roothash --key "$VM_KEY" --cert "$VM_CERT" --hash sha256 -o "$2" "$1" >&2
}

# vm_image_args ROOTHASH...: generate's arguments for these images in the
# array VM_IMAGE_ARGS, by the manifest `format` wrote where there is one.
vm_image_args() {
	local rh
	VM_IMAGE_ARGS=()
	for rh in "$@"; do
		if [ -r "${VM_MANIFESTS:-/nonexistent}/$rh.json" ]; then
			VM_IMAGE_ARGS+=(--manifest "$VM_MANIFESTS/$rh.json")
		else
			VM_IMAGE_ARGS+=(--roothash "sha256:$rh")
		fi
	done
}

# vm_policy OUT NAME VERSION ROOTHASH...: the policy that allows exactly the
# images with these root hashes, plus the initramfs, where the guest's own
# shell and tools live (generate and sign warn about that rule, in the log).
vm_policy() {
	local out=$1 name=$2 version=$3
	shift 3
	vm_image_args "$@"
	"$O/ipe-policygen" generate --name "$name" --version "$version" --boot-verified \
		"${VM_IMAGE_ARGS[@]}" -o "$out"
}

# vm_policy_next OUT NAME OLD ROOTHASH...: like vm_policy, with the version
# that follows the policy OLD (generate --version-from).
vm_policy_next() {
	local out=$1 name=$2 old=$3
	shift 3
	vm_image_args "$@"
	"$O/ipe-policygen" generate --name "$name" --version-from "$old" --boot-verified \
		"${VM_IMAGE_ARGS[@]}" -o "$out"
}

# vm_policy_signed OUT NAME VERSION: the policy that allows every volume
# whose root-hash signature the kernel verified (plus the initramfs).
vm_policy_signed() {
	"$O/ipe-policygen" generate --name "$2" --version "$3" --boot-verified --signed -o "$1"
}

# vm_policy_version FILE: the policy_version of a policy text.
vm_policy_version() {
	sed -n 's/^[[:space:]]*policy_name=[^[:space:]]*[[:space:]]*policy_version=\([0-9.]*\).*/\1/p' "$1" |
		head -n 1
}

# vm_sign_policy POLICY OUT: the attached PKCS#7 new_policy takes.
vm_sign_policy() {
	"$O/ipe-policygen" sign --key "$VM_KEY" --cert "$VM_CERT" -o "$2" "$1"
}

# vm_sign_policy_openssl POLICY OUT: the reference signature, for policies
# the project's signer refuses on purpose (the corpus of invalid ones).
vm_sign_policy_openssl() {
	openssl smime -sign -nodetach -noattr -nosmimecap -binary -outform der \
		-signer "$VM_CERT" -inkey "$VM_KEY" -in "$1" -out "$2"
}

# vm_images DIR: DIR/{sq,ero}.{img,verity} from a small tree holding a copy
# of busybox; sets SQ_RH, ERO_RH and VM_MANIFESTS.
vm_images() {
	local dir=$1
	mkdir -p "$dir/tree/bin"
	cp /bin/busybox "$dir/tree/bin/busybox"
	echo "ipe-tools verity payload" >"$dir/tree/marker"
	mksquashfs "$dir/tree" "$dir/sq.img" -noappend -quiet -no-progress -all-root >/dev/null || return 1
	mkfs.erofs "$dir/ero.img" "$dir/tree" >/dev/null 2>&1 || return 1
	SQ_RH=$(vm_format squashfs "$dir/sq.img" "$dir/sq.verity") && [ -n "$SQ_RH" ] || return 1
	ERO_RH=$(vm_format erofs "$dir/ero.img" "$dir/ero.verity") && [ -n "$ERO_RH" ] || return 1
	VM_MANIFESTS=$dir/manifests
	mkdir -p "$VM_MANIFESTS"
	cp "$dir/sq.verity.json" "$VM_MANIFESTS/$SQ_RH.json"
	cp "$dir/ero.verity.json" "$VM_MANIFESTS/$ERO_RH.json"
}
