# lib/: small helpers that depend on libc only. Only log.c prints (the logger);
# the verb dispatcher (verbs.c) decides and main() reports.
LIB_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard lib/*.c))

$(O)/lib/libbasic.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
