# gui-agent/: seam-gui-agent, the guest's window manager and pixel forwarder (xcb, pixman).

AGENT_PKGS := xcb xcb-composite xcb-damage xcb-xfixes xcb-shm xcb-xtest xcb-icccm pixman-1
AGENT_SRCS := $(wildcard gui-agent/*.c)
AGENT_LIBS := $(shell $(PKG_CONFIG) --libs $(AGENT_PKGS))
EXTRA_CFLAGS_gui-agent := $(shell $(PKG_CONFIG) --cflags $(AGENT_PKGS))

$(B)/bin/seam-gui-agent: $(call objs,obj,$(AGENT_SRCS)) $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS) $(AGENT_LIBS)

PROGRAMS += $(B)/bin/seam-gui-agent
