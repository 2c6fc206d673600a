# lib/: small helpers that depend on libc only.
LIB_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard lib/*.c))

$(O)/lib/libbasic.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
