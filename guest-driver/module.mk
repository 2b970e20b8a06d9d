# guest-driver/: seam_drv.so, the guest Xorg's video driver (docs/performance.md): window pixmaps
# in memfds that seam-gui-agent passes to the daemon without a copy. Built against Debian's
# xserver-xorg-dev; without it (no xorg-server.pc) nothing here is built and the driver's tests
# skip.

XORG_SDK_CFLAGS := $(shell $(PKG_CONFIG) --cflags xorg-server 2>/dev/null)
GUEST_DRIVER_SRCS := $(wildcard guest-driver/*.c) protocol/drvsock.c
# Laid out as Xorg's module tree, so that -modulepath $(B)/lib/xorg/modules finds it, as the
# launchers do beside their programs (sandbox/xserver.c, deploy/seam-guest-session).
GUEST_DRIVER := $(B)/lib/xorg/modules/drivers/seam_drv.so
# Installed where Debian's Xorg looks by default when PREFIX is /usr (the package), and where the
# launchers look beside $(BINDIR) otherwise.
GUEST_DRIVER_DIR := $(PREFIX)/lib/xorg/modules/drivers

ifneq ($(XORG_SDK_CFLAGS),)
# The SDK's headers are not ours to warn about; the loader resolves the server's symbols.
$(B)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden \
		$(patsubst -I%,-isystem %,$(XORG_SDK_CFLAGS)) -c $< -o $@

$(GUEST_DRIVER): $(call objs,pic,$(GUEST_DRIVER_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -o $@ $^

all: $(GUEST_DRIVER)
INTEGRATION_BINS += $(GUEST_DRIVER)
GUEST_DRIVER_BUILT := $(GUEST_DRIVER)

install-guest-driver: $(GUEST_DRIVER)
	install -d $(DESTDIR)$(GUEST_DRIVER_DIR)
	install -m 0644 $(GUEST_DRIVER) $(DESTDIR)$(GUEST_DRIVER_DIR)/
else
install-guest-driver:
	@echo "guest-driver: xserver-xorg-dev is not installed: seam_drv.so is not built nor installed"
endif

uninstall-guest-driver:
	rm -f $(DESTDIR)$(GUEST_DRIVER_DIR)/seam_drv.so
.PHONY: install-guest-driver uninstall-guest-driver
