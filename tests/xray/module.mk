# tests/xray/: seam-xray, the trusted path. The --key parser in Check (plain and ASan+UBSan), and
# the program against real daemons and agents, bare and under openbox (screenshots while the key
# is held and after it is released).

XRAY_TEST_SRCS := $(wildcard tests/xray/*.c)

$(B)/tests/test-xray: $(call objs,obj,$(XRAY_TEST_SRCS)) $(B)/obj/xray/key.o $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(shell $(PKG_CONFIG) --libs xcb)

$(B)/asan/tests/test-xray: $(call objs,asan,$(XRAY_TEST_SRCS)) $(B)/asan/xray/key.o $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(shell $(PKG_CONFIG) --libs xcb)

EXTRA_CFLAGS_tests/xray := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-xray $(B)/asan/tests/test-xray

INTEGRATION_TESTS += tests/xray/xray.sh
