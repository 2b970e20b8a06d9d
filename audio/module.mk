# audio/: seam-audio-agent (guest) and seam-audio-daemon (host), and the pure audio library they
# share with the tests (wire format, session, flow control, PCM helpers: no PulseAudio, no I/O).

AUDIO_SRCS := audio/audio_proto.c audio/session.c audio/level.c audio/pcm.c
AUDIO_LIB := $(B)/lib/libseam-audio.a
AUDIO_LIB_ASAN := $(B)/asan/lib/libseam-audio.a

$(AUDIO_LIB): $(call objs,obj,$(AUDIO_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(AUDIO_LIB_ASAN): $(call objs,asan,$(AUDIO_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

AUDIO_PULSE_LIBS := $(shell $(PKG_CONFIG) --libs libpulse 2>/dev/null) -lm
EXTRA_CFLAGS_audio := $(shell $(PKG_CONFIG) --cflags libpulse 2>/dev/null)

# What both programs share beside the pure library: the loop, the PulseAudio context, the start.
AUDIO_PROGRAM_SRCS := audio/loop.c audio/pulse.c audio/program.c
AUDIO_DAEMON_SRCS := audio/daemon_main.c audio/daemon_conn.c audio/daemon_play.c \
	audio/daemon_mic.c $(AUDIO_PROGRAM_SRCS)
AUDIO_AGENT_SRCS := audio/agent_main.c audio/agent_conn.c audio/agent_devices.c \
	audio/agent_play.c audio/agent_mic.c $(AUDIO_PROGRAM_SRCS)

# The daemon checks the guest's name with common/domain.c: one rule for guest names.
$(B)/bin/seam-audio-daemon: $(call objs,obj,$(AUDIO_DAEMON_SRCS)) $(AUDIO_LIB) $(SHM_LIB) \
		$(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(AUDIO_PULSE_LIBS) $(XEN_LIBS) $(SECCOMP_LIBS)

$(B)/bin/seam-audio-agent: $(call objs,obj,$(AUDIO_AGENT_SRCS)) $(AUDIO_LIB) $(SHM_LIB) \
		$(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(AUDIO_PULSE_LIBS) $(XEN_LIBS) $(SECCOMP_LIBS)

PROGRAMS += $(B)/bin/seam-audio-daemon $(B)/bin/seam-audio-agent
