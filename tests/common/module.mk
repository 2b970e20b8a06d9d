# tests/common/: unit tests of common/ (the configuration parser, the log's rate limit, the
# seccomp filters).

COMMON_TEST_SRCS := $(wildcard tests/common/*.c)

$(B)/tests/test-common: $(call objs,obj,$(COMMON_TEST_SRCS)) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) -lxcb $(SECCOMP_LIBS)

$(B)/asan/tests/test-common: $(call objs,asan,$(COMMON_TEST_SRCS)) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) -lxcb $(SECCOMP_LIBS)

EXTRA_CFLAGS_tests/common := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-common $(B)/asan/tests/test-common
