# policy/: the IPE policy model (parse, check, write, evaluate). libc and
# lib/ only, so the auditor can link it without libcrypto.
POLICY_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard policy/*.c))

$(O)/policy/libpolicy.a: $(POLICY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
