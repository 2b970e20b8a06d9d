# launch/: the desktop's way into domains: seam-menu (a domain's applications in the menu, with
# tinted icons) and seam-open (a copy of a file opened in a disposable or a named domain). They
# read seam-run's domains (sandbox/paths.c, sandbox/opts.c: homes and configuration files), tint
# with window-decor and write PNGs with libpng; they start domains only through seam-run.

LAUNCH_LIB_SRCS := launch/desktop.c launch/dirs.c launch/icon.c launch/mime.c
LAUNCH_SANDBOX_SRCS := sandbox/paths.c sandbox/opts.c
LAUNCH_PKGS := libpng
EXTRA_CFLAGS_launch := $(shell $(PKG_CONFIG) --cflags $(LAUNCH_PKGS) 2>/dev/null)
LAUNCH_LIBS := $(shell $(PKG_CONFIG) --libs $(LAUNCH_PKGS) 2>/dev/null)
LAUNCH_LIB := $(B)/lib/libseam-launch.a
LAUNCH_LIB_ASAN := $(B)/asan/lib/libseam-launch.a

$(LAUNCH_LIB): $(call objs,obj,$(LAUNCH_LIB_SRCS) $(LAUNCH_SANDBOX_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(LAUNCH_LIB_ASAN): $(call objs,asan,$(LAUNCH_LIB_SRCS) $(LAUNCH_SANDBOX_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# seam-run is built with them: they start it from their own directory.
$(B)/bin/seam-menu: $(B)/obj/launch/seam-menu.o $(LAUNCH_LIB) $(DECOR_LIB) $(PROTOCOL_LIB) \
		$(COMMON_LIB) | $(B)/bin/seam-run
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(LAUNCH_LIBS)

$(B)/bin/seam-open: $(B)/obj/launch/seam-open.o $(LAUNCH_LIB) $(COMMON_LIB) | $(B)/bin/seam-run
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(LAUNCH_LIBS)

PROGRAMS += $(B)/bin/seam-menu $(B)/bin/seam-open

# The file managers' way in (docs/launch.md): an "Open in disposable domain" application for
# Nautilus' and GNOME's Open With, a Dolphin service menu, and Thunar's custom actions as an
# example to paste. They name seam-open by its installed path.
LAUNCH_APPDIR ?= $(PREFIX)/share/applications
LAUNCH_SERVICEMENUDIR ?= $(PREFIX)/share/kio/servicemenus
LAUNCH_SUBST := sed -e 's|@BINDIR@|$(BINDIR)|g'

.PHONY: install-launch uninstall-launch

install-launch:
	install -d $(DESTDIR)$(LAUNCH_APPDIR) $(DESTDIR)$(LAUNCH_SERVICEMENUDIR) \
		$(DESTDIR)$(DOCDIR)/examples
	$(LAUNCH_SUBST) deploy/launch/seam-open-disposable.desktop \
		>$(DESTDIR)$(LAUNCH_APPDIR)/seam-open-disposable.desktop
	chmod 0644 $(DESTDIR)$(LAUNCH_APPDIR)/seam-open-disposable.desktop
	$(LAUNCH_SUBST) deploy/launch/seam-open-servicemenu.desktop \
		>$(DESTDIR)$(LAUNCH_SERVICEMENUDIR)/seam-open.desktop
	chmod 0755 $(DESTDIR)$(LAUNCH_SERVICEMENUDIR)/seam-open.desktop
	$(LAUNCH_SUBST) deploy/launch/thunar-uca.xml >$(DESTDIR)$(DOCDIR)/examples/thunar-uca.xml
	chmod 0644 $(DESTDIR)$(DOCDIR)/examples/thunar-uca.xml
	install -m 0644 docs/launch.md $(DESTDIR)$(DOCDIR)/
	@# GIO reads MimeType only from the directory's cache; a package's trigger rebuilds it.
	if [ -z "$(DESTDIR)" ] && command -v update-desktop-database >/dev/null; then \
		update-desktop-database $(LAUNCH_APPDIR) || true; fi

uninstall-launch:
	rm -f $(DESTDIR)$(LAUNCH_APPDIR)/seam-open-disposable.desktop \
		$(DESTDIR)$(LAUNCH_SERVICEMENUDIR)/seam-open.desktop \
		$(DESTDIR)$(DOCDIR)/examples/thunar-uca.xml $(DESTDIR)$(DOCDIR)/launch.md
	@# The cache again, or none where no entry is left.
	if [ -z "$(DESTDIR)" ] && command -v update-desktop-database >/dev/null; then \
		if ls $(LAUNCH_APPDIR)/*.desktop >/dev/null 2>&1; then \
			update-desktop-database $(LAUNCH_APPDIR) || true; \
		else rm -f $(LAUNCH_APPDIR)/mimeinfo.cache; fi; fi
