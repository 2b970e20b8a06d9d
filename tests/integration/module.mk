# tests/integration/: the agent's test tools (not installed): seam-testclient, an X client with a
# known picture, and agent-probe, a fake daemon that checks what seam-gui-agent sends.

$(B)/tests/seam-testclient: $(B)/obj/tests/integration/testclient.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs xcb)

$(B)/tests/agent-probe: $(B)/obj/tests/integration/agent_probe.o $(SHM_LIB) $(PROTOCOL_LIB) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS)

INTEGRATION_BINS += $(B)/tests/seam-testclient $(B)/tests/agent-probe

# The guest driver's capture path (tests/integration/driver.sh): Xorg with seam_drv.so, which
# `all` builds where xserver-xorg-dev is installed.
INTEGRATION_TESTS += tests/integration/driver.sh
