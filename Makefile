# Seam: top-level build. One make invocation; each folder adds its part through a module.mk fragment.
#
#   make            build everything (programs in build/bin, libraries in build/lib)
#   make check      every test: unit tests (plain and ASan+UBSan), integration tests, a short fuzz run
#   make demo       forward a guest's windows to $DISPLAY (no DISPLAY: a screenshot in build/demo.png)
#   make bench      the latency benchmark: Seam beside xpra and nxagent (BENCH_FLAGS=--quick)
#   make fuzz       run every fuzz target for FUZZ_TIME seconds (default 60)
#   make install    into $(DESTDIR)$(PREFIX) (default /usr/local): programs, units, configs, man pages
#   make deb        Debian packages seam-host, seam-guest, seam-tools into build/deb/
#   make deps       install the Debian packages the build and the tests need (as root, idempotent)
#   make clean

SHELL := /bin/bash
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/bin

B := build
CC ?= cc
FUZZ_CC ?= clang
PKG_CONFIG ?= pkg-config
FUZZ_TIME ?= 60
# How long `make check` runs each fuzz target.
FUZZ_CHECK_TIME ?= 20

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-missing-field-initializers
CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -I. -MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1

CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# Filled in by the fragments.
PROGRAMS :=
UNIT_TESTS :=
INTEGRATION_BINS :=
INTEGRATION_TESTS :=
FUZZERS :=

# $(call objs,VARIANT,SRCS): object paths for a variant (obj = plain, asan = sanitizers).
objs = $(patsubst %.c,$(B)/$(1)/%.o,$(2))

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS_$(<D)) -c $< -o $@

$(B)/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS) $(EXTRA_CFLAGS_$(<D)) -c $< -o $@

include common/module.mk
include protocol/module.mk
include shm/module.mk
include window-decor/module.mk
include gui-daemon/module.mk
-include gui-agent/module.mk
include sandbox/module.mk
include launch/module.mk
include audio/module.mk
include bench/module.mk
include xray/module.mk
include guest-driver/module.mk
include deploy/module.mk
# Test fragments add to UNIT_TESTS and FUZZERS, which tests/module.mk's targets read: it comes last.
include tests/common/module.mk
include tests/agent/module.mk
include tests/guest-driver/module.mk
include tests/decor/module.mk
include tests/daemon/module.mk
-include tests/integration/module.mk
include tests/integration/tools.mk
include tests/sandbox/module.mk
include tests/launch/module.mk
include tests/audio/module.mk
include tests/deploy/module.mk
include tests/xray/module.mk
include tests/qubes/module.mk
# The Xen lab (docs/xen.md): `make xen-check`, also the last step of `make check`.
include tests/xen/module.mk
include tests/fuzz/module.mk
include tests/module.mk

.PHONY: all check unit-check integration-check fuzz-check demo bench fuzz install uninstall clean deps deb

all: $(PROGRAMS)

# The Xen lab runs last and alone: it keeps both cores busy emulating a machine.
check: unit-check integration-check fuzz-check
	@$(MAKE) --no-print-directory xen-check
	@echo "make check: all test suites passed"

demo: all $(B)/tests/seam-xprobe
	bash tools/demo.sh

bench: all
	$(BENCH_RUN)

install: all install-deploy install-launch install-guest-driver
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/

uninstall: uninstall-launch uninstall-deploy uninstall-guest-driver
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(PROGRAMS)))

deb:
	bash deploy/build-deb.sh

clean:
	rm -rf $(B)

deps:
	bash tools/deps.sh

-include $(shell find $(B) -name '*.d' 2>/dev/null)
