# policy/: the IPE policy model (parse, check, write, evaluate) and the one
# digest-algorithm table (digest.c). libc and lib/ only, so the auditor can
# link it without libcrypto (tests/integration/floors_test.sh checks).
POLICY_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard policy/*.c))

$(O)/policy/libpolicy.a: $(POLICY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
