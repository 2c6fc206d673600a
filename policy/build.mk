# policy/: the IPE policy model (parse, check, serialise, evaluate) and the
# PKCS#7 envelopes the kernel verifies. Uses lib/ and libcrypto.
POLICY_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard policy/*.c))

$(O)/policy/libpolicy.a: $(POLICY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
