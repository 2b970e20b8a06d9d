# tests/audio/: Check tests of the pure audio library (plain and ASan+UBSan), the audio integration
# test with two real PulseAudio servers, and its probe (tone player, Goertzel detector, latency).

AUDIO_TEST_SRCS := $(filter-out tests/audio/probe.c tests/audio/hostile.c,$(wildcard tests/audio/*.c))

$(B)/tests/test-audio: $(call objs,obj,$(AUDIO_TEST_SRCS)) $(AUDIO_LIB) $(PROTOCOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) -lm

$(B)/asan/tests/test-audio: $(call objs,asan,$(AUDIO_TEST_SRCS)) $(AUDIO_LIB_ASAN) \
		$(PROTOCOL_LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(CHECK_LIBS) -lm

EXTRA_CFLAGS_tests/audio := $(CHECK_CFLAGS) $(shell $(PKG_CONFIG) --cflags libpulse 2>/dev/null)

UNIT_TESTS += $(B)/tests/test-audio $(B)/asan/tests/test-audio

$(B)/tests/seam-audio-probe: $(B)/obj/tests/audio/probe.o $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(AUDIO_PULSE_LIBS)

INTEGRATION_BINS += $(B)/tests/seam-audio-probe

# seam-audio-hostile: a synthetic agent (floods, malformed messages, mic requests, a drifting clock).
$(B)/tests/seam-audio-hostile: $(B)/obj/tests/audio/hostile.o $(AUDIO_LIB) $(SHM_LIB) $(PROTOCOL_LIB) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(XEN_LIBS) -lm

INTEGRATION_BINS += $(B)/tests/seam-audio-hostile
INTEGRATION_TESTS += tests/audio/audio.sh
