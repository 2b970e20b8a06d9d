# tests/fuzz/: libFuzzer targets for the parsers of guest bytes beyond protocol/'s own (fuzz-proto,
# in tests/module.mk): the framing kit under its three tables, the audio protocol and session,
# seam-run's messages, the channel's framing, and the guest driver's socket. Seed corpora in tests/fuzz/corpus/NAME/.

# $(call fuzz_build,SOURCES,LIBS): the command that builds one target, as fuzz-proto is built.
fuzz_build = $(FUZZ_CC) -std=gnu11 $(WARN) -I. -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ $(1) $(2)

FUZZ_FRAME_SRCS := tests/fuzz/fuzz_frame.c $(PROTOCOL_SRCS) audio/audio_proto.c sandbox/msg.c
$(B)/fuzz/fuzz-frame: $(FUZZ_FRAME_SRCS) $(wildcard protocol/*.h) audio/audio_proto.h sandbox/msg.h
	@mkdir -p $(@D)
	$(call fuzz_build,$(FUZZ_FRAME_SRCS))

FUZZ_AUDIO_SRCS := tests/fuzz/fuzz_audio.c $(PROTOCOL_SRCS) audio/audio_proto.c audio/session.c
$(B)/fuzz/fuzz-audio: $(FUZZ_AUDIO_SRCS) $(wildcard protocol/*.h) audio/audio_proto.h \
		audio/session.h
	@mkdir -p $(@D)
	$(call fuzz_build,$(FUZZ_AUDIO_SRCS))

FUZZ_SANDBOX_MSG_SRCS := tests/fuzz/fuzz_sandbox_msg.c tests/fuzz/fds.c $(PROTOCOL_SRCS) sandbox/msg.c
$(B)/fuzz/fuzz-sandbox-msg: $(FUZZ_SANDBOX_MSG_SRCS) $(wildcard protocol/*.h) sandbox/msg.h \
		tests/fuzz/fds.h
	@mkdir -p $(@D)
	$(call fuzz_build,$(FUZZ_SANDBOX_MSG_SRCS))

# The channel with its backends (chan_vchan.c needs the Xen libraries to link, not to run).
FUZZ_CHAN_SRCS := tests/fuzz/fuzz_chan.c tests/fuzz/fds.c shm/chan.c shm/chan_unix.c shm/chan_vchan.c \
	$(PROTOCOL_SRCS) common/mono.c
$(B)/fuzz/fuzz-chan: $(FUZZ_CHAN_SRCS) $(wildcard protocol/*.h shm/*.h) common/mono.h \
		tests/fuzz/fds.h
	@mkdir -p $(@D)
	$(call fuzz_build,$(FUZZ_CHAN_SRCS),$(XEN_LIBS))

# The guest driver's socket: the agent's reading of replies and refs, the driver's of requests.
FUZZ_DRVSOCK_SRCS := tests/fuzz/fuzz_drvsock.c protocol/drvsock.c
$(B)/fuzz/fuzz-drvsock: $(FUZZ_DRVSOCK_SRCS) protocol/drvsock.h protocol/proto.h
	@mkdir -p $(@D)
	$(call fuzz_build,$(FUZZ_DRVSOCK_SRCS))

FUZZERS += $(B)/fuzz/fuzz-frame $(B)/fuzz/fuzz-audio $(B)/fuzz/fuzz-sandbox-msg $(B)/fuzz/fuzz-chan \
	$(B)/fuzz/fuzz-drvsock
