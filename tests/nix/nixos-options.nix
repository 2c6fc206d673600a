# SPDX-License-Identifier: GPL-2.0-only
# The NixOS options nix/module.nix sets, declared as NixOS declares them, for
# evaluating the module with nixpkgs' lib alone (nixpkgs itself is not
# available to the tests). security.lsm and its kernel parameter are those of
# nixos/modules/security/default.nix (nixpkgs 14cf1a96): an empty default and
# a definition [ "landlock" "yama" "bpf" ] that other modules merge with.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  unit = types.submodule {
    options = {
      wantedBy = mkOption { type = types.listOf types.str; default = [ ]; };
      environment = mkOption { type = types.attrsOf types.str; default = { }; };
      restartTriggers = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    };
  };
in
{
  options = {
    security.lsm = mkOption { type = types.listOf types.str; default = [ ]; };
    boot.kernelParams = mkOption { type = types.listOf types.str; default = [ ]; };
    environment.etc = mkOption {
      type = types.attrsOf (types.submodule {
        options.source = mkOption { type = types.path; };
        options.mode = mkOption { type = types.str; default = "symlink"; };
      });
      default = { };
    };
    systemd.packages = mkOption { type = types.listOf types.package; default = [ ]; };
    systemd.services = mkOption { type = types.attrsOf unit; default = { }; };
    services.logrotate.settings = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
  };
  config = lib.mkMerge [
    { security.lsm = [ "landlock" "yama" "bpf" ]; }
    (lib.mkIf (config.security.lsm != [ ]) {
      boot.kernelParams = [ "lsm=${lib.concatStringsSep "," config.security.lsm}" ];
    })
  ];
}
