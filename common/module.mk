# common/: small pieces every program uses (logging).

COMMON_SRCS := common/log.c common/config.c
COMMON_LIB := $(B)/lib/libseam-common.a
COMMON_LIB_ASAN := $(B)/asan/lib/libseam-common.a

$(COMMON_LIB): $(call objs,obj,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(COMMON_LIB_ASAN): $(call objs,asan,$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
