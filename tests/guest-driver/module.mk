# tests/guest-driver/: Check tests of the guest driver's socket (plain and ASan+UBSan): its wire
# format and default path (protocol/drvsock.c), the agent's client of it (gui-agent/capture.c)
# against a scripted driver, and the checks of an adopted memfd (shm_surface_adopt).

GDRV_TEST_SRCS := $(wildcard tests/guest-driver/*.c)

$(B)/tests/test-guest-driver: $(call objs,obj,$(GDRV_TEST_SRCS)) $(AGENT_LIB) $(SHM_LIB) \
		$(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS) $(AGENT_LIBS)

$(B)/asan/tests/test-guest-driver: $(call objs,asan,$(GDRV_TEST_SRCS)) $(AGENT_LIB_ASAN) \
		$(SHM_LIB_ASAN) $(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS) $(AGENT_LIBS)

EXTRA_CFLAGS_tests/guest-driver := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-guest-driver $(B)/asan/tests/test-guest-driver
