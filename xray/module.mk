# xray/: seam-xray, the trusted path: while a secure-attention key is held, shows over every host
# window which domain owns it (docs/security.md, "The trusted path: seam-xray").

XRAY_PKGS := xcb xcb-render
XRAY_SRCS := $(wildcard xray/*.c)
EXTRA_CFLAGS_xray := $(shell $(PKG_CONFIG) --cflags $(XRAY_PKGS) 2>/dev/null)

$(B)/bin/seam-xray: $(call objs,obj,$(XRAY_SRCS)) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs $(XRAY_PKGS))

$(B)/asan/bin/seam-xray: $(call objs,asan,$(XRAY_SRCS)) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs $(XRAY_PKGS))

PROGRAMS += $(B)/bin/seam-xray
