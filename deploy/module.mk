# deploy/: what `make install` puts beside the programs: systemd units (host and guest, system and
# user), example configurations, man pages and seam-guest-session. The top-level install and
# uninstall depend on install-deploy and uninstall-deploy.
#
#   make install PREFIX=/usr DESTDIR=/tmp/root    # a staged tree, as debian/rules does
#
# The configuration stays in /etc whatever PREFIX is: the daemons read /etc/seam/guests/NAME.conf.

SYSCONFDIR ?= /etc
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/seam
# systemd looks in /usr/local/lib/systemd/{system,user} too, so PREFIX=/usr/local works.
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSTEMD_USERUNITDIR ?= $(PREFIX)/lib/systemd/user

DEPLOY_UNITS := $(wildcard deploy/systemd/*.service)
DEPLOY_USER_UNITS := $(wildcard deploy/systemd/user/*.service)
DEPLOY_MAN1 := $(wildcard deploy/man/*.1)
DEPLOY_MAN8 := $(wildcard deploy/man/*.8)
DEPLOY_SCRIPTS := deploy/seam-guest-session
DEPLOY_ETC := $(SYSCONFDIR)/seam/guests/work.conf.example $(SYSCONFDIR)/seam/guest.conf.example
DEPLOY_DOCS := $(DOCDIR)/deploy.md $(DOCDIR)/examples/host-user.conf.example \
	$(DOCDIR)/examples/work.conf.example $(DOCDIR)/examples/guest.conf.example

# Units name programs by their installed path.
DEPLOY_SUBST := sed -e 's|@BINDIR@|$(BINDIR)|g'

.PHONY: install-deploy uninstall-deploy

install-deploy:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSTEMD_UNITDIR) $(DESTDIR)$(SYSTEMD_USERUNITDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/examples
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/seam/guests
	install -m 0755 $(DEPLOY_SCRIPTS) $(DESTDIR)$(BINDIR)/
	set -e; for u in $(DEPLOY_UNITS); do \
		$(DEPLOY_SUBST) $$u >$(DESTDIR)$(SYSTEMD_UNITDIR)/$${u##*/}; \
		chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/$${u##*/}; \
	done
	set -e; for u in $(DEPLOY_USER_UNITS); do \
		$(DEPLOY_SUBST) $$u >$(DESTDIR)$(SYSTEMD_USERUNITDIR)/$${u##*/}; \
		chmod 0644 $(DESTDIR)$(SYSTEMD_USERUNITDIR)/$${u##*/}; \
	done
	install -m 0644 $(DEPLOY_MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(DEPLOY_MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 deploy/guests/work.conf.example $(DESTDIR)$(SYSCONFDIR)/seam/guests/
	install -m 0644 deploy/guest.conf.example $(DESTDIR)$(SYSCONFDIR)/seam/
	install -m 0644 docs/deploy.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 deploy/systemd/host-user.conf.example deploy/guests/work.conf.example \
		deploy/guest.conf.example $(DESTDIR)$(DOCDIR)/examples/

# Removes what install-deploy put there, never a configuration the user wrote.
uninstall-deploy:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(DEPLOY_SCRIPTS))) \
		$(addprefix $(DESTDIR)$(SYSTEMD_UNITDIR)/,$(notdir $(DEPLOY_UNITS))) \
		$(addprefix $(DESTDIR)$(SYSTEMD_USERUNITDIR)/,$(notdir $(DEPLOY_USER_UNITS))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(DEPLOY_MAN1))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(DEPLOY_MAN8))) \
		$(addprefix $(DESTDIR),$(DEPLOY_ETC) $(DEPLOY_DOCS))
	rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/seam/guests \
		$(DESTDIR)$(SYSCONFDIR)/seam 2>/dev/null || true
