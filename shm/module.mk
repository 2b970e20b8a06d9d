# shm/: the domain boundary. Channels (unix socket, libxenvchan) and shared buffers (memfd, grants).

SHM_SRCS := shm/chan.c shm/chan_unix.c shm/chan_vchan.c shm/shmbuf.c shm/shmbuf_memfd.c \
	shm/shmbuf_grant.c shm/surface.c
SHM_LIB := $(B)/lib/libseam-shm.a
SHM_LIB_ASAN := $(B)/asan/lib/libseam-shm.a
# Xen is always compiled in; where /dev/xen is absent it fails at run time with -ENODEV.
XEN_LIBS := $(shell $(PKG_CONFIG) --libs xenvchan xengnttab xenstore 2>/dev/null)

$(SHM_LIB): $(call objs,obj,$(SHM_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(SHM_LIB_ASAN): $(call objs,asan,$(SHM_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^
