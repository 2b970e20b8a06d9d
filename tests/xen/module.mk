# tests/xen/: the Xen lab. `make xen-check` (the last step of `make check`) boots Xen 4.17, a PV
# dom0 and a PV domU under QEMU (TCG) and runs the end-to-end and hostile-grant tests across a real
# domain boundary; see docs/xen.md. The Debian packages it unpacks are cached in build/xen-cache.

$(B)/tests/seam-rogue-grants: $(B)/obj/tests/xen/rogue_grants.o $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS)

$(B)/tests/seam-xen-latency: $(B)/obj/tests/xen/latency.o $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs xcb xcb-xtest)

# The guest driver, where built (guest-driver/module.mk): the domU runs it on grant pages too.
# A slow client of the guest driver's socket (the driver's replies that wait for the socket).
$(B)/tests/seam-drv-client: $(B)/obj/tests/xen/drv_client.o $(PROTOCOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

XEN_LAB_BINS := $(B)/bin/seam-gui-daemon $(B)/bin/seam-gui-agent $(B)/tests/seam-testclient \
	$(B)/tests/seam-xprobe $(B)/tests/seam-rogue-grants $(B)/tests/seam-xen-latency \
	$(B)/tests/seam-drv-client \
	$(GUEST_DRIVER_BUILT)

.PHONY: xen-check
xen-check: $(XEN_LAB_BINS)
	bash tests/xen/lab.sh
