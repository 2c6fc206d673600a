# auditd/: ipe-auditd. main.c holds the verb table; the rest goes into libauditd.a.
AUDITD_OBJS := $(patsubst %.c,$(O)/%.o,$(filter-out auditd/main.c,$(wildcard auditd/*.c)))
AUDITD_LIBS := $(O)/auditd/libauditd.a $(O)/crypto/libipecrypto.a $(O)/json/libipejson.a \
	$(O)/policy/libpolicy.a $(O)/lib/libbasic.a
AUDITD_LDLIBS := $(JSON_LIBS) $(CRYPTO_LIBS)

$(O)/auditd/libauditd.a: $(AUDITD_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/ipe-auditd: $(O)/auditd/main.o $(AUDITD_LIBS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(AUDITD_LDLIBS)

PROGRAMS += $(O)/ipe-auditd
MANPAGES += $(wildcard docs/man/ipe-auditd*.1)
