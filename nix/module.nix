# SPDX-License-Identifier: GPL-2.0-only
# NixOS module: security.ipe (the IPE LSM, its policies and their loading at
# boot) and services.ipe-auditd (the auditor). The units come from the
# package (dist/systemd/, `systemd.packages`), so their hardening is written
# once; this module sets what is specific to the machine.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf mkMerge mkBefore types literalExpression;
  ipe = config.security.ipe;
  cfg = config.services.ipe-auditd;

  # The kernel's policy names that also make a file name (ipe-policygen's rule).
  validName = name: builtins.match "[A-Za-z0-9_.-]+" name != null && name != "." && name != "..";
  indexOf = x: list: lib.lists.findFirstIndex (y: y == x) null list;
  ipeBeforeBpf =
    let lsm = config.security.lsm; i = indexOf "ipe" lsm; b = indexOf "bpf" lsm;
    in i != null && (b == null || i < b);
  # systemd splits $IPE_AUDITD_FLAGS at white space and knows no quoting.
  flagOk = f: builtins.match ".*[[:space:]].*" f == null && f != "";
in
{
  options.security.ipe = {
    enable = mkEnableOption "the IPE LSM: `ipe` joins security.lsm before `bpf`, the policies are installed where the boot-time loader finds them";

    package = mkOption {
      type = types.package;
      default = pkgs.ipe-tools;
      defaultText = literalExpression "pkgs.ipe-tools";
      description = "The ipe-tools package (its ipe-load-policies.service loads the policies).";
    };

    policies = mkOption {
      type = types.attrsOf types.path;
      default = { };
      example = literalExpression ''{ spectrum = (ipeLib.mkIpePolicy { name = "spectrum"; … }).signed; }'';
      description = ''
        Signed IPE policies (.p7b, ipe-policygen sign) by policy_name, installed as
        /etc/ipe/NAME.p7b: loaded, updated when the version is higher, and activated at boot.
        The name must be the policy's policy_name.
      '';
    };

    mode = mkOption {
      type = types.enum [ "audit" "enforce" ];
      default = "audit";
      description = ''
        `audit` boots with ipe.enforce=0: the active policy is evaluated and its denials are
        audited (and seen by ipe-auditd) but nothing is refused. `enforce` refuses them.
      '';
    };

    loader = mkOption {
      type = types.enum [ "ipe-auditd" "systemd" ];
      default = "ipe-auditd";
      description = ''
        Who loads the policies at boot: `ipe-auditd` (ipe-load-policies.service, any systemd),
        or `systemd` when PID 1 is v257 or later built with IPE support.
      '';
    };
  };

  options.services.ipe-auditd = {
    enable = mkEnableOption "ipe-auditd, which records what the IPE policy would deny";

    package = mkOption {
      type = types.package;
      default = ipe.package;
      defaultText = literalExpression "config.security.ipe.package";
      description = "The ipe-tools package.";
    };

    policy = mkOption {
      type = types.path;
      example = literalExpression "(ipeLib.mkIpePolicy { … }).signed";
      description = "The policy (text or signed .p7b) to audit against, normally the one a release will enforce.";
    };

    output = mkOption {
      type = types.strMatching "/[^[:space:]]*";
      default = "/var/log/ipe-auditd/events.json";
      description = "Where the records go: an absolute path without white space.";
    };

    backend = mkOption {
      type = types.enum [ "auto" "lsm" "tracepoint" ];
      default = "auto";
      description = "The BPF backend: `lsm` needs `bpf` in security.lsm, `tracepoint` runs everywhere, `auto` picks.";
    };

    format = mkOption {
      type = types.enum [ "json" "text" ];
      default = "json";
      description = "Record format: one JSON object a line, or text.";
    };

    extraFlags = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--stats-interval" "60" ];
      description = "More arguments for `ipe-auditd run`, each without white space.";
    };

    logRotation = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Rotate the output with logrotate.";
      };
      frequency = mkOption {
        type = types.enum [ "hourly" "daily" "weekly" "monthly" ];
        default = "daily";
        description = "How often the output is rotated.";
      };
      keep = mkOption {
        type = types.ints.positive;
        default = 14;
        description = "How many rotated files are kept.";
      };
    };
  };

  config = mkMerge [
    (mkIf ipe.enable {
      security.lsm = mkBefore [ "ipe" ];
      boot.kernelParams = [ "ipe.enforce=${if ipe.mode == "enforce" then "1" else "0"}" ];
      # Copies, not links: systemd's own loader opens the files with O_NOFOLLOW.
      environment.etc = lib.mapAttrs' (name: policy: lib.nameValuePair "ipe/${name}.p7b" {
        source = policy;
        mode = "0444";
      }) ipe.policies;
      systemd.packages = [ ipe.package ];
      systemd.services.ipe-load-policies = mkIf (ipe.loader == "ipe-auditd") {
        wantedBy = [ "sysinit.target" ];
        restartTriggers = map (p: "${p}") (lib.attrValues ipe.policies);
      };
      assertions = [
        {
          assertion = ipeBeforeBpf;
          message = "security.ipe: \"ipe\" must come before \"bpf\" in security.lsm (now: ${lib.concatStringsSep "," config.security.lsm})";
        }
      ] ++ lib.mapAttrsToList (name: _: {
        assertion = validName name;
        message = "security.ipe.policies.\"${name}\": not an IPE policy name ([A-Za-z0-9_.-], not . or ..)";
      }) ipe.policies;
    })

    (mkIf cfg.enable {
      systemd.packages = [ cfg.package ];
      systemd.services.ipe-auditd = {
        wantedBy = [ "multi-user.target" ];
        environment = {
          IPE_AUDITD_POLICY = "${cfg.policy}";
          IPE_AUDITD_OUTPUT = cfg.output;
          IPE_AUDITD_FLAGS = lib.concatStringsSep " " ([ "--backend" cfg.backend "--format" cfg.format ] ++ cfg.extraFlags);
        };
        restartTriggers = [ "${cfg.policy}" ];
      };
      services.logrotate.settings.ipe-auditd = mkIf cfg.logRotation.enable {
        files = cfg.output;
        inherit (cfg.logRotation) frequency;
        rotate = cfg.logRotation.keep;
        compress = true;
        missingok = true;
        notifempty = true;
        # The daemon keeps its file open: copy, then truncate in place.
        copytruncate = true;
      };
      assertions = map (f: {
        assertion = flagOk f;
        message = "services.ipe-auditd.extraFlags: \"${f}\" is empty or has white space (systemd splits the flags at white space)";
      }) cfg.extraFlags;
    })
  ];
}
