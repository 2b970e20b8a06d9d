# gui-daemon/: seam-gui-daemon, the host side (one process per guest): libseam-daemon (every
# component, see gui-daemon/LAYERS) and a small main. The unit tests and the fuzzers link the
# library: plain, ASan+UBSan, and a libFuzzer-instrumented build for tests/fuzz.

DAEMON_LIB_SRCS := gui-daemon/keyseq.c gui-daemon/options.c gui-daemon/display.c \
	gui-daemon/restrict.c gui-daemon/notify.c gui-daemon/session.c gui-daemon/keyboard.c \
	gui-daemon/dpi.c gui-daemon/paint.c gui-daemon/window.c gui-daemon/window_host.c \
	gui-daemon/icon.c gui-daemon/tray.c gui-daemon/screen.c \
	gui-daemon/clipboard.c gui-daemon/clipboard_file.c gui-daemon/input.c gui-daemon/conn.c \
	gui-daemon/daemon.c
DAEMON_PKGS := xcb xcb-shm xcb-icccm xcb-cursor xcb-randr pixman-1 libsystemd
DAEMON_LIBS := $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS))
EXTRA_CFLAGS_gui-daemon := $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS) 2>/dev/null)
DAEMON_LIB := $(B)/lib/libseam-daemon.a
DAEMON_LIB_ASAN := $(B)/asan/lib/libseam-daemon.a
DAEMON_LIB_FUZZ := $(B)/fuzz/lib/libseam-daemon.a

$(DAEMON_LIB): $(call objs,obj,$(DAEMON_LIB_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(DAEMON_LIB_ASAN): $(call objs,asan,$(DAEMON_LIB_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/fuzz/obj/gui-daemon/%.o: gui-daemon/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) $(EXTRA_CFLAGS_gui-daemon) -c $< -o $@

$(DAEMON_LIB_FUZZ): $(call objs,fuzz/obj,$(DAEMON_LIB_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/bin/seam-gui-daemon: $(B)/obj/gui-daemon/main.o $(DAEMON_LIB) $(DECOR_LIB) $(SHM_LIB) \
		$(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(DAEMON_LIBS) $(XEN_LIBS) $(SECCOMP_LIBS)

PROGRAMS += $(B)/bin/seam-gui-daemon
