# tests/integration/: seam-xprobe, the host-side checker the integration tests use.

$(B)/tests/seam-xprobe: $(B)/obj/tests/integration/xprobe.o $(DECOR_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs xcb xcb-xfixes xcb-cursor)

INTEGRATION_BINS += $(B)/tests/seam-xprobe

# seam-fake-agent: a scripted agent, to test the daemon alone.
$(B)/tests/seam-fake-agent: $(B)/obj/tests/integration/fake_agent.o $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS)

INTEGRATION_BINS += $(B)/tests/seam-fake-agent

# Integration tests: bash scripts that start their own Xvfb servers and print "N passed, N failed".
INTEGRATION_TESTS += tests/integration/daemon.sh tests/integration/hostile.sh tests/integration/keyboard.sh \
	tests/integration/agent_smoke.sh tests/integration/forward.sh tests/integration/clipboard.sh

# seam-hostile-agent: a malicious agent, one attack per run.
$(B)/tests/seam-hostile-agent: $(B)/obj/tests/integration/hostile_agent.o \
		$(B)/obj/tests/integration/hostile_seam.o $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS)

INTEGRATION_BINS += $(B)/tests/seam-hostile-agent
INTEGRATION_TESTS += tests/integration/placement.sh

# Guest cursors shown from the host cursor theme (tests/integration/cursor.sh).
INTEGRATION_TESTS += tests/integration/cursor.sh
INTEGRATION_TESTS += tests/integration/icons.sh
# Guest tray icons in the host's system tray (tests/integration/tray.sh).
INTEGRATION_TESTS += tests/integration/tray.sh

# The host's DPI followed by guest applications (tests/integration/dpi.sh).
INTEGRATION_TESTS += tests/integration/dpi.sh

# The host's screen size and monitors followed by the guest (tests/integration/screen.sh).
INTEGRATION_TESTS += tests/integration/screen.sh tests/integration/screen_drv.sh
