# sandbox/: seam-run, guests without a hypervisor: a bubblewrap sandbox with its own Xvfb and
# seam-gui-agent, shown on the user's display by a seam-gui-daemon of its own.

SANDBOX_SRCS := $(wildcard sandbox/*.c)
SANDBOX_PKGS := xcb
EXTRA_CFLAGS_sandbox := $(shell $(PKG_CONFIG) --cflags $(SANDBOX_PKGS) 2>/dev/null)

# The daemon and agent are built with it: seam-run starts them from its own directory.
$(B)/bin/seam-run: $(call objs,obj,$(SANDBOX_SRCS)) $(PROTOCOL_LIB) $(COMMON_LIB) | \
		$(B)/bin/seam-gui-daemon \
		$(B)/bin/seam-gui-agent
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(shell $(PKG_CONFIG) --libs $(SANDBOX_PKGS))

PROGRAMS += $(B)/bin/seam-run
