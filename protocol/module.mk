# protocol/: the wire format library (no X, no I/O), plain and sanitizer builds, and its self-test
# (tools/proto-selftest.c, which does the I/O).

PROTOCOL_SRCS := protocol/frame.c protocol/proto.c protocol/validate.c protocol/handshake.c \
	protocol/utf8.c protocol/clipboard.c protocol/cursor.c \
	protocol/notify.c
# The guest driver's socket (guest-internal), shared by seam-gui-agent and seam_drv.so.
PROTOCOL_SRCS += protocol/drvsock.c
PROTOCOL_LIB := $(B)/lib/libseam-protocol.a
PROTOCOL_LIB_ASAN := $(B)/asan/lib/libseam-protocol.a

$(PROTOCOL_LIB): $(call objs,obj,$(PROTOCOL_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(PROTOCOL_LIB_ASAN): $(call objs,asan,$(PROTOCOL_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/bin/seam-proto-selftest: $(B)/obj/tools/proto-selftest.o $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

PROGRAMS += $(B)/bin/seam-proto-selftest
