# gui-agent/: seam-gui-agent, the guest's window manager and pixel forwarder (xcb, pixman), built as
# libseam-agent (every component; plain and ASan+UBSan) and a small main that the program links.

AGENT_PKGS := xcb xcb-xkb xcb-composite xcb-damage xcb-xfixes xcb-shm xcb-xtest xcb-icccm xcb-randr \
	pixman-1 libsystemd
AGENT_SRCS := $(filter-out gui-agent/main.c,$(wildcard gui-agent/*.c))
AGENT_LIB := $(B)/lib/libseam-agent.a
AGENT_LIB_ASAN := $(B)/asan/lib/libseam-agent.a
# What a program linking libseam-agent links after it.
AGENT_LIBS := $(shell $(PKG_CONFIG) --libs $(AGENT_PKGS))
EXTRA_CFLAGS_gui-agent := $(shell $(PKG_CONFIG) --cflags $(AGENT_PKGS))

$(AGENT_LIB): $(call objs,obj,$(AGENT_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(AGENT_LIB_ASAN): $(call objs,asan,$(AGENT_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/bin/seam-gui-agent: $(B)/obj/gui-agent/main.o $(AGENT_LIB) $(SHM_LIB) $(PROTOCOL_LIB) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS) $(AGENT_LIBS) $(SECCOMP_LIBS)

PROGRAMS += $(B)/bin/seam-gui-agent
