# tests/integration/: seam-xprobe, the host-side checker the integration tests use.

$(B)/tests/seam-xprobe: $(B)/obj/tests/integration/xprobe.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs xcb)

INTEGRATION_BINS += $(B)/tests/seam-xprobe
