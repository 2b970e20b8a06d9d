# tests/: Check unit tests (plain and ASan+UBSan builds) and libFuzzer targets.

PROTO_TEST_SRCS := $(wildcard tests/protocol/*.c)

$(B)/tests/test-protocol: $(call objs,obj,$(PROTO_TEST_SRCS)) $(PROTOCOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS)

$(B)/asan/tests/test-protocol: $(call objs,asan,$(PROTO_TEST_SRCS)) $(PROTOCOL_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS)

EXTRA_CFLAGS_tests/protocol := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-protocol $(B)/asan/tests/test-protocol

SHM_TEST_SRCS := $(wildcard tests/shm/*.c)

$(B)/tests/test-shm: $(call objs,obj,$(SHM_TEST_SRCS)) $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS)

$(B)/asan/tests/test-shm: $(call objs,asan,$(SHM_TEST_SRCS)) $(SHM_LIB_ASAN) $(PROTOCOL_LIB_ASAN) $(COMMON_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) $(XEN_LIBS)

EXTRA_CFLAGS_tests/shm := $(CHECK_CFLAGS)

UNIT_TESTS += $(B)/tests/test-shm $(B)/asan/tests/test-shm

# Fuzz targets: tests/fuzz/fuzz_NAME.c with a seed corpus in tests/fuzz/corpus/NAME/.
$(B)/fuzz/fuzz-proto: tests/fuzz/fuzz_proto.c $(PROTOCOL_SRCS) $(wildcard protocol/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_proto.c $(PROTOCOL_SRCS)

FUZZERS += $(B)/fuzz/fuzz-proto

# Rewrites the committed seed corpus from tests/fuzz/seed_proto.c (run by hand after a wire change).
$(B)/tests/seed-proto: $(B)/obj/tests/fuzz/seed_proto.o $(PROTOCOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

.PHONY: fuzz-seeds
fuzz-seeds: $(B)/tests/seed-proto
	rm -rf tests/fuzz/corpus/proto && mkdir -p tests/fuzz/corpus/proto
	$(B)/tests/seed-proto tests/fuzz/corpus/proto

# Integration tests (bash, real X servers): every fragment has added to INTEGRATION_TESTS and
# INTEGRATION_BINS by now, since this file is included last.
.PHONY: integration-check
integration-check: $(PROGRAMS) $(INTEGRATION_BINS)
	@set -e; for t in $(INTEGRATION_TESTS); do echo "== $$t"; timeout 300 bash $$t; done

# The agent's and the daemon's components depend on each other one way only (their LAYERS files).
.PHONY: layers-check
layers-check:
	@bash tools/check-layers.sh gui-agent gui-daemon launch guest-driver

unit-check: $(UNIT_TESTS) layers-check
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

# $(call run_fuzzers,SECONDS): each target for SECONDS, new inputs kept under build/, seeds read-only.
define run_fuzzers
	@set -e; for f in $(FUZZERS); do \
		name=$${f##*/fuzz-}; work=$(B)/fuzz/corpus-$$name; mkdir -p $$work; \
		echo "== $$f for $(1) s (seeds: tests/fuzz/corpus/$$name)"; \
		$$f -max_total_time=$(1) -print_final_stats=1 -artifact_prefix=$(B)/fuzz/ \
			$$work tests/fuzz/corpus/$$name 2>&1 | tail -n 12; \
		test "$${PIPESTATUS[0]}" -eq 0; \
	done
endef

fuzz-check: $(FUZZERS)
	$(call run_fuzzers,$(FUZZ_CHECK_TIME))

fuzz: $(FUZZERS)
	$(call run_fuzzers,$(FUZZ_TIME))
