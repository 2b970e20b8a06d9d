# common/: small pieces every program uses (logging, configuration files, the clock, command-line
# errors, X connection set-up, guest names and labels; xconn.o is pulled from the archive only by
# programs that use X).

COMMON_SRCS := common/log.c common/config.c common/mono.c common/cli.c common/xconn.c \
	common/domain.c
COMMON_LIB := $(B)/lib/libseam-common.a
COMMON_LIB_ASAN := $(B)/asan/lib/libseam-common.a

$(COMMON_LIB): $(call objs,obj,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(COMMON_LIB_ASAN): $(call objs,asan,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
