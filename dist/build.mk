# dist/: what `make install` puts beside the binaries and man pages: systemd
# units, s6-rc source directories, shell completions, example configuration.
# Files with @bindir@, @sysconfdir@, @logdir@ or @docdir@ are copied into $(O)/dist with
# the install paths filled in; dist/install.sh installs and uninstalls the
# one list of files.
sysconfdir ?= $(prefix)/etc
localstatedir ?= /var
logdir ?= $(localstatedir)/log/ipe-auditd
datadir ?= $(prefix)/share
docdir ?= $(datadir)/doc/ipe-tools
unitdir ?= $(prefix)/lib/systemd/system
s6rcdir ?= $(datadir)/ipe-tools/s6-rc
bashcompletiondir ?= $(datadir)/bash-completion/completions
zshcompletiondir ?= $(datadir)/zsh/site-functions

DIST_S6RC := $(patsubst dist/%,$(O)/dist/%,$(shell find dist/s6-rc -type f 2>/dev/null))
DIST_UNITS := $(patsubst dist/systemd/%.in,$(O)/dist/systemd/%,$(wildcard dist/systemd/*.in))
DIST_GENERATED := $(DIST_S6RC) $(DIST_UNITS)

dist_subst = sed -e 's|@bindir@|$(bindir)|g' -e 's|@sysconfdir@|$(sysconfdir)|g' -e 's|@docdir@|$(docdir)|g' -e 's|@logdir@|$(logdir)|g'

# The paths are part of the output: regenerate when they change.
$(O)/dist/.paths: FORCE | $(O)/.dirs
	$(Q)mkdir -p $(dir $@) && echo '$(bindir) $(sysconfdir) $(docdir) $(logdir)' >$@.tmp && \
		(cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@)

$(O)/dist/systemd/%: dist/systemd/%.in $(O)/dist/.paths
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && $(dist_subst) $< >$@.tmp && mv $@.tmp $@

$(O)/dist/s6-rc/%: dist/s6-rc/% $(O)/dist/.paths
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@) && $(dist_subst) $< >$@.tmp && chmod --reference=$< $@.tmp && mv $@.tmp $@

dist: $(DIST_GENERATED)
all: dist

INSTALL_ENV = DESTDIR='$(DESTDIR)' bindir='$(bindir)' mandir='$(mandir)' docdir='$(docdir)' \
	unitdir='$(unitdir)' s6rcdir='$(s6rcdir)' bashcompletiondir='$(bashcompletiondir)' \
	zshcompletiondir='$(zshcompletiondir)' O='$(O)'

install: all
	$(Q)$(INSTALL_ENV) dist/install.sh install $(PROGRAMS) -- $(MANPAGES)

uninstall:
	$(Q)$(INSTALL_ENV) dist/install.sh uninstall $(PROGRAMS) -- $(MANPAGES)

.PHONY: dist install uninstall FORCE
