# bench/: seam-bench, the window-latency benchmark (Seam beside xpra and nxagent); see
# docs/performance.md. The top-level `bench` target runs $(BENCH_RUN); BENCH_FLAGS adds options,
# e.g. `make bench BENCH_FLAGS=--quick`.

BENCH_PKGS := xcb xcb-damage xcb-shm
BENCH_SRCS := $(wildcard bench/*.c)
EXTRA_CFLAGS_bench := $(shell $(PKG_CONFIG) --cflags $(BENCH_PKGS) 2>/dev/null)

$(B)/bin/seam-bench: $(call objs,obj,$(BENCH_SRCS)) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs $(BENCH_PKGS)) -lm

PROGRAMS += $(B)/bin/seam-bench

BENCH_FLAGS ?=
BENCH_RUN = mkdir -p $(B)/bench && $(B)/bin/seam-bench --json $(B)/bench/results.jsonl \
	--plot $(B)/bench/latency.png $(BENCH_FLAGS)
