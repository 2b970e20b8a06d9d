# tests/sandbox/: seam-run's pure parts under Check (plain and ASan+UBSan), and seam-run end to end
# (bwrap, pasta, Xvfb) on a host Xvfb.

SANDBOX_TEST_SRCS := tests/sandbox/test_sandbox.c tests/sandbox/test_registry.c
SANDBOX_UNIT_SRCS := sandbox/opts.c sandbox/msg.c sandbox/bwrap.c sandbox/paths.c \
	sandbox/registry.c sandbox/proc.c

$(B)/tests/test-sandbox: $(call objs,obj,$(SANDBOX_TEST_SRCS) $(SANDBOX_UNIT_SRCS)) $(PROTOCOL_LIB) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS)

$(B)/asan/tests/test-sandbox: $(call objs,asan,$(SANDBOX_TEST_SRCS) $(SANDBOX_UNIT_SRCS)) \
		$(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS)

EXTRA_CFLAGS_tests/sandbox := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-sandbox $(B)/asan/tests/test-sandbox
INTEGRATION_TESTS += tests/sandbox/sandbox.sh tests/sandbox/notify.sh tests/sandbox/resize.sh
