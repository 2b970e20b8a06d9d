# guest-driver/: seam_drv.so, the guest Xorg's video driver (docs/performance.md): window pixmaps
# in memfds that seam-gui-agent passes to the daemon without a copy. Built against Debian's
# xserver-xorg-dev; without it (no xorg-server.pc) nothing here is built and the driver's tests
# skip.

XORG_SDK_CFLAGS := $(shell $(PKG_CONFIG) --cflags xorg-server 2>/dev/null)
GUEST_DRIVER_SRCS := $(wildcard guest-driver/*.c) protocol/drvsock.c
GUEST_DRIVER := $(B)/lib/xorg/seam_drv.so

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
endif
