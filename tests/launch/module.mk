# tests/launch/: seam-menu's and seam-open's parts under Check (plain and ASan+UBSan): the .desktop
# parser, Exec quoting and field codes, icons through PNG; and both programs end to end on a host
# Xvfb with seam-run (launch.sh).

LAUNCH_TEST_SRCS := tests/launch/test_launch.c

$(B)/tests/test-launch: $(call objs,obj,$(LAUNCH_TEST_SRCS)) $(LAUNCH_LIB) $(DECOR_LIB) \
		$(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LAUNCH_LIBS)

$(B)/asan/tests/test-launch: $(call objs,asan,$(LAUNCH_TEST_SRCS)) $(LAUNCH_LIB_ASAN) \
		$(DECOR_LIB_ASAN) $(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(LAUNCH_LIBS)

EXTRA_CFLAGS_tests/launch := $(CHECK_CFLAGS) $(EXTRA_CFLAGS_launch)

UNIT_TESTS += $(B)/tests/test-launch $(B)/asan/tests/test-launch
INTEGRATION_TESTS += tests/launch/launch.sh

# .desktop files a domain writes in its home, as seam-menu and seam-open parse them.
$(B)/fuzz/fuzz-desktop: tests/fuzz/fuzz_desktop.c launch/desktop.c launch/desktop.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_desktop.c \
		launch/desktop.c

FUZZERS += $(B)/fuzz/fuzz-desktop
