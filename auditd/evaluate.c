// SPDX-License-Identifier: GPL-2.0-only
/* The candidate policy's decision for one record, with a reason and a hint. */
#include <stdio.h>

#include "lib/hexdecoct.h"
#include "lib/macro.h"
#include "auditd/evaluate.h"

_Static_assert((int)AUDITD_OP_EXECUTE == (int)IPE_OP_EXECUTE &&
		       (int)AUDITD_OP_FIRMWARE == (int)IPE_OP_FIRMWARE &&
		       (int)AUDITD_OP_KMODULE == (int)IPE_OP_KMODULE &&
		       (int)AUDITD_OP_KEXEC_IMAGE == (int)IPE_OP_KEXEC_IMAGE &&
		       (int)AUDITD_OP_KEXEC_INITRAMFS == (int)IPE_OP_KEXEC_INITRAMFS &&
		       (int)AUDITD_OP_POLICY == (int)IPE_OP_POLICY &&
		       (int)AUDITD_OP_X509 == (int)IPE_OP_X509 && (int)AUDITD_OP_MAX == (int)IPE_OP_MAX &&
		       (int)AUDITD_OP_INVALID == (int)IPE_OP_INVALID,
	       "event.h ops are policy.h ops");
_Static_assert((int)AUDITD_HOOK_BPRM_CHECK == (int)IPE_HOOK_BPRM_CHECK &&
		       (int)AUDITD_HOOK_BPRM_CREDS_FOR_EXEC == (int)IPE_HOOK_BPRM_CREDS_FOR_EXEC &&
		       (int)AUDITD_HOOK_MMAP == (int)IPE_HOOK_MMAP &&
		       (int)AUDITD_HOOK_MPROTECT == (int)IPE_HOOK_MPROTECT &&
		       (int)AUDITD_HOOK_KERNEL_READ == (int)IPE_HOOK_KERNEL_READ &&
		       (int)AUDITD_HOOK_KERNEL_LOAD == (int)IPE_HOOK_KERNEL_LOAD &&
		       (int)AUDITD_HOOK_MAX == (int)IPE_HOOK_MAX,
	       "event.h hooks are policy.h hooks");

bool auditd_policy_uses(const struct ipe_policy *p, enum ipe_op op, enum ipe_prop_type type)
{
	for (size_t i = 0; p && i < p->n_rules; i++)
		for (size_t j = 0; p->rules[i].op == op && j < p->rules[i].n_props; j++)
			if (p->rules[i].props[j].type == type)
				return true;
	return false;
}

static void fill_ctx(struct ipe_eval_ctx *c, enum ipe_op op, enum ipe_hook hook, bool has_file,
		     bool initramfs, const struct auditd_volume *vol, const struct auditd_fsverity *fsv)
{
	*c = (struct ipe_eval_ctx){ .op = op, .hook = hook, .has_file = has_file, .initramfs = initramfs };
	if (has_file && vol && vol->digest_len) {
		c->has_dmverity = true;
		c->dmv_alg = vol->alg;
		c->dmv_digest = vol->digest;
		c->dmv_digest_len = vol->digest_len;
		c->dmv_signed = vol->sig_valid;
	}
	if (has_file && fsv && fsv->enabled) {
		c->has_fsverity = true;
		c->fsv_alg = fsv->alg;
		c->fsv_digest = fsv->digest;
		c->fsv_digest_len = fsv->digest_len;
		c->fsv_signed = fsv->builtin_sig;
	}
}

static const char *deny_reason(const struct ipe_policy *p, const struct auditd_event *e,
			       const struct ipe_eval_ctx *c)
{
	if (!c->has_file)
		return c->hook == IPE_HOOK_KERNEL_LOAD ? "no-file" : "anonymous";
	if (c->has_dmverity)
		return !c->dmv_signed && auditd_policy_uses(p, c->op, IPE_PROP_DMV_SIG_TRUE)
			       ? "unsigned"
			       : "roothash-not-allowed";
	if (e->flags & AUDITD_F_OVERLAY)
		return "overlay-upper";
	if (c->initramfs)
		return "initramfs";
	if (!c->has_fsverity && (auditd_policy_uses(p, c->op, IPE_PROP_FSV_DIGEST) ||
				 auditd_policy_uses(p, c->op, IPE_PROP_FSV_SIG_TRUE)))
		return "fsverity-missing";
	return "not-verity";
}

static char *deny_hint(const char *reason, const char *op, const struct ipe_eval_ctx *c)
{
	_cleanup_free_ char *hex = NULL;
	char *s = NULL;
	int r = -1;

	if (streq(reason, "no-file"))
		r = asprintf(&s,
			     "the kernel loads this from memory (init_module, kexec_load), so no property can match: "
			     "load it from a file on a dm-verity volume (finit_module, kexec_file_load) instead");
	else if (streq(reason, "anonymous"))
		r = asprintf(&s,
			     "anonymous executable memory has no file to match: only the op's DEFAULT or a rule "
			     "of FALSE properties allows it, so stop the program from mapping memory executable "
			     "(JIT) or keep op=%s permissive",
			     op);
	else if (streq(reason, "roothash-not-allowed") || streq(reason, "unsigned")) {
		hex = hex_encode(c->dmv_digest, c->dmv_digest_len, false);
		if (!hex)
			return NULL;
		r = asprintf(&s, "%sallow this volume with the policy line: op=%s dmverity_roothash=%s:%s action=ALLOW",
			     streq(reason, "unsigned")
				     ? "sign the volume's root hash (ipe-policygen sign-roothash) or "
				     : "",
			     op, c->dmv_alg, hex);
	} else if (streq(reason, "overlay-upper"))
		r = asprintf(&s, "the file is in the overlay's writable upper layer: put it into the dm-verity lower layer "
				 "(a new image) instead");
	else if (streq(reason, "initramfs"))
		r = asprintf(&s,
			     "the file comes from the initramfs: op=%s boot_verified=TRUE action=ALLOW allows it "
			     "(early boot only), or move it onto a dm-verity image",
			     op);
	else if (streq(reason, "fsverity-missing"))
		r = asprintf(&s,
			     "enable fs-verity on the file (fsverity enable) and allow its digest with "
			     "op=%s fsverity_digest=ALG:HEX action=ALLOW",
			     op);
	else
		r = asprintf(&s,
			     "the file is not on a dm-verity volume: move it onto a dm-verity image the policy allows");
	return r < 0 ? NULL : s;
}

int auditd_evaluate(const struct ipe_policy *p, const struct auditd_event *e,
		    const struct auditd_volume *vol, const struct auditd_fsverity *fsv,
		    struct auditd_verdict *ret)
{
	struct ipe_eval_ctx c;
	int r;

	*ret = (struct auditd_verdict){};
	fill_ctx(&c, (enum ipe_op)e->op, (enum ipe_hook)e->hook, e->flags & AUDITD_F_HAS_FILE,
		 e->flags & AUDITD_F_INITRAMFS, vol, fsv);
	ipe_policy_evaluate(p, &c, &ret->decision);
	r = ipe_decision_rule_string(&ret->decision, &ret->rule);
	if (r < 0 && r != -ENOENT)
		return r;
	if (ret->decision.action != IPE_ACTION_DENY)
		return 0;
	ret->reason = deny_reason(p, e, &c);
	ret->hint = deny_hint(ret->reason, ipe_op_name(ret->decision.op) ?: "UNKNOWN", &c);
	if (!ret->hint) {
		auditd_verdict_done(ret);
		return -ENOMEM;
	}
	return 0;
}

void auditd_verdict_done(struct auditd_verdict *v)
{
	free(v->rule);
	free(v->hint);
	*v = (struct auditd_verdict){};
}

void auditd_trust_bits(const struct ipe_policy *p, const struct auditd_volume *vol,
		       struct auditd_trust *ret)
{
	*ret = (struct auditd_trust){};
	for (unsigned op = 0; op < IPE_OP_MAX; op++) {
		struct ipe_eval_ctx c;
		struct ipe_decision d;

		if (auditd_policy_uses(p, op, IPE_PROP_FSV_DIGEST) ||
		    auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_TRUE) ||
		    auditd_policy_uses(p, op, IPE_PROP_FSV_SIG_FALSE))
			continue;
		/* the hook never changes IPE's decision (eval.c matches on op and properties) */
		for (int initramfs = 0; initramfs <= 1; initramfs++) {
			fill_ctx(&c, op, IPE_HOOK_BPRM_CHECK, true, initramfs, vol, NULL);
			ipe_policy_evaluate(p, &c, &d);
			if (d.action != IPE_ACTION_ALLOW)
				continue;
			if (initramfs)
				ret->allow_ops_initramfs |= 1u << op;
			else
				ret->allow_ops |= 1u << op;
		}
	}
}
