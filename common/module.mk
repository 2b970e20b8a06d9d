# common/: small pieces every program uses (logging, configuration files, the clock, command-line
# errors, X connection set-up, guest names and labels; xconn.o is pulled from the archive only by
# programs that use X; sysfilter.o, the seccomp filters, only by the four programs that install one,
# which link SECCOMP_LIBS).

COMMON_SRCS := common/log.c common/config.c common/mono.c common/cli.c common/xconn.c \
	common/domain.c common/sysfilter.c
SECCOMP_LIBS := $(shell $(PKG_CONFIG) --libs libseccomp)
COMMON_LIB := $(B)/lib/libseam-common.a
COMMON_LIB_ASAN := $(B)/asan/lib/libseam-common.a

$(COMMON_LIB): $(call objs,obj,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(COMMON_LIB_ASAN): $(call objs,asan,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
