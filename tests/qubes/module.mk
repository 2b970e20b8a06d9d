# tests/qubes/: peers that behave as Qubes' own GUI daemon and agent, and the script that runs Seam's
# real agent and daemon against them for protocol 1.7 and 1.8.

QPEER_COMMON := $(B)/obj/tests/qubes/qwire.o

$(B)/tests/seam-qubes-daemon: $(B)/obj/tests/qubes/qdaemon.o $(QPEER_COMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

$(B)/tests/seam-qubes-agent: $(B)/obj/tests/qubes/qagent.o $(QPEER_COMMON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^

INTEGRATION_BINS += $(B)/tests/seam-qubes-daemon $(B)/tests/seam-qubes-agent
INTEGRATION_TESTS += tests/qubes/qubes.sh
