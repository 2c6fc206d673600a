# SPDX-License-Identifier: GPL-2.0-only
# nix/lib.nix with nixpkgs' lib and the fixtures: the attributes
# tests/nix/nix_test.sh builds and evaluates.
{ libPath, prefix, image, key, cert }:
let
  lib = import libPath;
  fx = import ./fixtures.nix { inherit prefix; };
  ipeLib = import ../../nix/lib.nix { inherit lib; inherit (fx) runCommand ipe-tools; };
  imagePath = /. + image;
  certPath = /. + cert;
in
rec {
  rootfs = ipeLib.mkVerityImage { image = imagePath; seed = "spectrum-1.0"; name = "rootfs.verity"; };
  # The same image and seed under another name: the same root hash.
  again = ipeLib.mkVerityImage { image = imagePath; seed = "spectrum-1.0"; name = "again.verity"; };
  otherSeed = ipeLib.mkVerityImage { image = imagePath; seed = "spectrum-1.1"; name = "other.verity"; };
  signed = ipeLib.mkVerityImage {
    image = imagePath; seed = "spectrum-1.0"; name = "signed.verity";
    signingKey = key; signingCert = certPath;
  };
  policy = ipeLib.mkIpePolicy {
    name = "spectrum"; version = "1.0.0"; images = [ rootfs "sha256:${lib.fixedWidthString 64 "0" "1"}" ];
    bootVerified = true;
  };
  policySigned = ipeLib.mkIpePolicy {
    name = "spectrum"; version = "1.0.1"; images = [ rootfs ]; ops = [ "EXECUTE" "KMODULE" ];
    signingKey = key; signingCert = certPath;
  };

  # Evaluated, not built.
  uuids = ipeLib.spectrumPartUuids "0123456789ABCDEF0123456789abcdef00112233445566778899aabbccddeeff";
  refusals = lib.mapAttrs (_: v: (builtins.tryEval (builtins.seq v.drvPath true)).success) {
    keyAsNixPath = ipeLib.mkVerityImage { image = imagePath; seed = "s"; signingKey = certPath; signingCert = certPath; };
    keyInStore = ipeLib.mkIpePolicy { name = "p"; version = "1.0.0"; signingKey = "${builtins.storeDir}/x-key"; signingCert = certPath; };
    keyWithoutCert = ipeLib.mkIpePolicy { name = "p"; version = "1.0.0"; signingKey = key; };
    relativeKey = ipeLib.mkIpePolicy { name = "p"; version = "1.0.0"; signingKey = "signing.key"; signingCert = certPath; };
  };
  badHash = (builtins.tryEval (ipeLib.spectrumPartUuids "abc").root).success;
  # Every output path by name.
  paths = lib.mapAttrs (_: d: lib.genAttrs d.outputs (o: d.${o}.outPath)) {
    inherit rootfs again otherSeed signed policy policySigned;
  };
  outputs = {
    rootfs = rootfs.outputs;
    signed = signed.outputs;
    policy = policy.outputs;
    policySigned = policySigned.outputs;
  };
}
