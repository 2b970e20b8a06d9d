# gui-daemon/: seam-gui-daemon, the host side (one process per guest).

DAEMON_SRCS := gui-daemon/main.c gui-daemon/conn.c gui-daemon/window.c gui-daemon/paint.c \
	gui-daemon/clipboard.c gui-daemon/restrict.c gui-daemon/xconn.c gui-daemon/options.c \
	gui-daemon/input.c
DAEMON_PKGS := xcb xcb-shm xcb-icccm
EXTRA_CFLAGS_gui-daemon := $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS) 2>/dev/null)

$(B)/bin/seam-gui-daemon: $(call objs,obj,$(DAEMON_SRCS)) $(DECOR_LIB) $(SHM_LIB) $(PROTOCOL_LIB) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS)) $(XEN_LIBS)

PROGRAMS += $(B)/bin/seam-gui-daemon
