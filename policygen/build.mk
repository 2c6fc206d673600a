# policygen/: ipe-policygen. main.c lists the verbs in pipeline order; every
# other file is one verb (with its table entry beside its options) or one
# helper, and goes into libpolicygen.a so unit tests can link it. Uses every
# floor below (lib/, policy/, json/, crypto/, verity/), never keys/ or auditd/.
POLICYGEN_OBJS := $(patsubst %.c,$(O)/%.o,$(filter-out policygen/main.c,$(wildcard policygen/*.c)))
POLICYGEN_LIBS := $(O)/policygen/libpolicygen.a $(O)/verity/libverity.a $(O)/crypto/libipecrypto.a \
	$(O)/json/libipejson.a $(O)/policy/libpolicy.a $(O)/lib/libbasic.a
POLICYGEN_LDLIBS := $(CRYPTSETUP_LIBS) $(JSON_LIBS) $(CRYPTO_LIBS) -lpthread

$(O)/policygen/libpolicygen.a: $(POLICYGEN_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/ipe-policygen: $(O)/policygen/main.o $(POLICYGEN_LIBS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(POLICYGEN_LDLIBS)

PROGRAMS += $(O)/ipe-policygen
MANPAGES += $(wildcard docs/man/ipe-policygen*.1)
