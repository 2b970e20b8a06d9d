# tests/daemon/: Check unit tests of libseam-daemon (plain and ASan+UBSan) against a private Xvfb
# they start themselves, and the daemon's fuzz targets (the message handler, the shared clipboard
# file's parser).

DAEMON_TEST_SRCS := $(wildcard tests/daemon/*.c)
# The libraries below libseam-daemon, plain and sanitized (the sanitized decor archive lacks the X
# part, which the daemon needs).
DAEMON_DEP_LIBS := $(DECOR_LIB) $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
DAEMON_DEP_LIBS_ASAN := $(call objs,asan,$(DECOR_X_SRCS)) $(DECOR_LIB_ASAN) $(SHM_LIB_ASAN) \
	$(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)

$(B)/tests/test-daemon: $(call objs,obj,$(DAEMON_TEST_SRCS)) $(DAEMON_LIB) $(DAEMON_DEP_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(DAEMON_LIBS) $(XEN_LIBS)

$(B)/asan/tests/test-daemon: $(call objs,asan,$(DAEMON_TEST_SRCS)) $(DAEMON_LIB_ASAN) \
		$(DAEMON_DEP_LIBS_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(DAEMON_LIBS) $(XEN_LIBS)

# test_options runs the program itself.
$(B)/tests/test-daemon $(B)/asan/tests/test-daemon: | $(B)/bin/seam-gui-daemon

EXTRA_CFLAGS_tests/daemon := $(CHECK_CFLAGS) $(EXTRA_CFLAGS_gui-daemon)

UNIT_TESTS += $(B)/tests/test-daemon $(B)/asan/tests/test-daemon

# The fuzz targets link the libFuzzer-instrumented libseam-daemon; the libraries below it are
# compiled in from their sources, as the other targets do. clang's -Wformat=2 flags
# common/cli.c's va_list helper (it has no format attribute, which gcc does not ask for): that
# one warning is left out here, where clang compiles common/.
FUZZ_DAEMON_DEP_SRCS := $(SHM_SRCS) $(PROTOCOL_SRCS) $(DECOR_SRCS) $(DECOR_X_SRCS) \
	$(filter-out common/sysfilter.c,$(COMMON_SRCS))
FUZZ_DAEMON_WARN := $(WARN) -Wno-format-nonliteral

# The daemon's message handler against a real X server (see tests/fuzz/fuzz_daemon.c).
$(B)/fuzz/fuzz-daemon: tests/fuzz/fuzz_daemon.c tests/daemon/harness.c $(DAEMON_LIB_FUZZ) \
		$(FUZZ_DAEMON_DEP_SRCS) $(wildcard tests/daemon/*.h shm/*.h protocol/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(FUZZ_DAEMON_WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ \
		tests/fuzz/fuzz_daemon.c \
		tests/daemon/harness.c $(DAEMON_LIB_FUZZ) $(FUZZ_DAEMON_DEP_SRCS) $(DAEMON_LIBS) \
		$(XEN_LIBS)

# The shared clipboard file's parser (see tests/fuzz/fuzz_clipfile.c).
FUZZ_CLIPFILE_DEP_SRCS := common/domain.c $(PROTOCOL_SRCS)
$(B)/fuzz/fuzz-clipfile: tests/fuzz/fuzz_clipfile.c $(DAEMON_LIB_FUZZ) $(FUZZ_CLIPFILE_DEP_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_clipfile.c \
		$(DAEMON_LIB_FUZZ) $(FUZZ_CLIPFILE_DEP_SRCS)

FUZZERS += $(B)/fuzz/fuzz-daemon $(B)/fuzz/fuzz-clipfile
