# window-decor/: how the host presents a guest's windows: title and class sanitizing and icon tinting
# (pure C, decor.c, on protocol/'s UTF-8 decoder) and the properties the daemon puts on host windows
# (decor_x.c, xcb). Names and labels are common/domain.c's.

DECOR_SRCS := window-decor/decor.c
DECOR_X_SRCS := window-decor/decor_x.c
DECOR_LIB := $(B)/lib/libseam-decor.a
DECOR_LIB_ASAN := $(B)/asan/lib/libseam-decor.a

$(DECOR_LIB): $(call objs,obj,$(DECOR_SRCS) $(DECOR_X_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(DECOR_LIB_ASAN): $(call objs,asan,$(DECOR_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
