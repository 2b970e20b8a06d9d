# tests/decor/: Check tests of window-decor's pure part and of the clipboard text check it shares a
# UTF-8 decoder with (plain and ASan+UBSan), and their fuzz target.

DECOR_TEST_SRCS := $(wildcard tests/decor/*.c)

$(B)/tests/test-decor: $(call objs,obj,$(DECOR_TEST_SRCS)) $(DECOR_LIB) $(PROTOCOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS)

# The ASan library holds only decor.c: these tests never call decor_x_*.
$(B)/asan/tests/test-decor: $(call objs,asan,$(DECOR_TEST_SRCS)) $(DECOR_LIB_ASAN) \
		$(PROTOCOL_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS)

EXTRA_CFLAGS_tests/decor := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-decor $(B)/asan/tests/test-decor

# Guest text: titles, classes and clipboard text (protocol/clipboard.c).
$(B)/fuzz/fuzz-decor: tests/fuzz/fuzz_decor.c $(DECOR_SRCS) $(PROTOCOL_SRCS) window-decor/decor.h \
		protocol/proto.h common/domain.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_decor.c \
		$(DECOR_SRCS) $(PROTOCOL_SRCS)

FUZZERS += $(B)/fuzz/fuzz-decor
