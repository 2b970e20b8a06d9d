# tests/decor/: Check tests of window-decor's pure part (plain and ASan+UBSan), and its fuzz target.

DECOR_TEST_SRCS := $(wildcard tests/decor/*.c)

$(B)/tests/test-decor: $(call objs,obj,$(DECOR_TEST_SRCS)) $(DECOR_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(shell $(PKG_CONFIG) --libs xcb)

# The ASan library holds only decor.c: these tests never call decor_x_*.
$(B)/asan/tests/test-decor: $(call objs,asan,$(DECOR_TEST_SRCS)) $(DECOR_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS)

EXTRA_CFLAGS_tests/decor := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-decor $(B)/asan/tests/test-decor

$(B)/fuzz/fuzz-decor: tests/fuzz/fuzz_decor.c $(DECOR_SRCS) window-decor/decor.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_decor.c $(DECOR_SRCS)

FUZZERS += $(B)/fuzz/fuzz-decor
