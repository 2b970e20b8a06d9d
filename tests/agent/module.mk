# tests/agent/: Check tests of libseam-agent (plain and ASan+UBSan): damage coalescing and props
# conversions as pure functions; wm's events, ConfigureRequest handling, clipboard state and the
# window announcements against a private Xvfb and a fake daemon on a socketpair.

AGENT_TEST_SRCS := $(wildcard tests/agent/*.c)

$(B)/tests/test-agent: $(call objs,obj,$(AGENT_TEST_SRCS)) $(AGENT_LIB) $(SHM_LIB) $(PROTOCOL_LIB) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS) $(AGENT_LIBS)

$(B)/asan/tests/test-agent: $(call objs,asan,$(AGENT_TEST_SRCS)) $(AGENT_LIB_ASAN) $(SHM_LIB_ASAN) \
		$(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS) $(AGENT_LIBS)

EXTRA_CFLAGS_tests/agent := $(CHECK_CFLAGS) $(shell $(PKG_CONFIG) --cflags $(AGENT_PKGS))

UNIT_TESTS += $(B)/tests/test-agent $(B)/asan/tests/test-agent
