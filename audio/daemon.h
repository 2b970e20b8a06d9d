/* seam-audio-daemon's internals, shared by its files: main (options, PulseAudio context, loop),
 * conn (the agent's channel and the session's actions), play (the host playback stream) and mic
 * (the host record stream). */
#ifndef SEAM_AUDIO_DAEMON_H
#define SEAM_AUDIO_DAEMON_H

#include <pulse/pulseaudio.h>
#include <stdbool.h>
#include <stdint.h>

#include "audio/level.h"
#include "audio/loop.h"
#include "audio/pcm.h"
#include "audio/pulse.h"
#include "audio/session.h"
#include "shm/chan.h"

/* The host playback stream (docs/audio.md, "Latency budget"). With PA_STREAM_EARLY_REQUESTS the
 * sink's own buffer is MINREQ and the stream's buffer TLENGTH. The stream's buffer is the level
 * controller's limit; it aims HEADROOM below it, measured right after each chunk, so the buffer
 * swings between about 15 and 25 ms with 10 ms chunks and has 15 ms against a late guest and
 * 25 ms for bursts. The sink taking small blocks matters: with PA_STREAM_ADJUST_LATENCY it took
 * 20 ms at a time and a 16 ms level underran in bursts. */
#define DAEMON_PLAY_TLENGTH_US	50000u
#define DAEMON_PLAY_MINREQ_US	5000u
#define DAEMON_PLAY_HEADROOM_US 25000u
/* Playback (re)starts when this much is buffered: the level aimed at, right after a chunk. */
#define DAEMON_PLAY_PREBUF_US (DAEMON_PLAY_TLENGTH_US - DAEMON_PLAY_HEADROOM_US)
/* Most one rate update per this long. */
#define DAEMON_RATE_UPDATE_US 1000000u
/* Recording chunks from the host microphone: 10 ms, like the agent's. */
#define DAEMON_MIC_FRAGMENT_US 10000u
/* MIC_DATA waiting in the channel's queue past which new data is dropped (~90 ms at 44.1 kHz):
 * an agent that stops reading costs the host at most this much. */
#define DAEMON_MIC_MAX_QUEUED 16384u
/* Messages handled per loop turn, so a flooding guest cannot starve PulseAudio's events. */
#define DAEMON_MSGS_PER_TURN 64
/* Wait before reconnecting to a PulseAudio server that went away. */
#define DAEMON_PULSE_RETRY_MS 1000

struct daemon_opts {
	const char *name;	/* the guest's name */
	const char *channel;	/* the channel's address */
	char file_channel[128]; /* audio_channel of the configuration file */
	bool allow_mic;		/* the policy at start */
	int verbose;
};

struct daemon {
	struct daemon_opts opts;
	char stream_name[48]; /* "[NAME] audio" */
	struct audio_loop *loop;
	pa_mainloop_api *api;
	struct chan *chan;
	struct audio_session session;

	struct audio_pulse pulse;

	/* Playback: one stream per connection, corked while the guest plays nothing. */
	pa_stream *play;
	bool play_ready;
	uint32_t play_tlength; /* the stream's buffer target as the server set it */
	struct audio_level level;
	struct audio_fade fade;
	uint32_t play_rate;	  /* the rate last asked of the server */
	bool rate_pending;	  /* an update_sample_rate operation runs */
	uint64_t rate_changed_us; /* when the rate was last asked for */
	uint64_t underruns;
	uint64_t played_bytes;
	uint64_t dropped_bytes; /* arrived while no stream could take them */

	/* Microphone: a record stream on the host's default source, only while the session says. */
	pa_stream *mic;
	uint64_t mic_dropped;
};

/* daemon_conn.c */
void daemon_conn_config(struct daemon *d, struct chan_config *cfg);
void daemon_conn_event(void *ctx, unsigned events);
/* Carry out a session's actions; m is the message that caused them (or NULL). */
void daemon_run_actions(struct daemon *d, unsigned actions, const struct audio_msg *m);
/* Encode and queue a message to the agent (nothing if no agent is connected). */
void daemon_send(struct daemon *d, const struct audio_msg *m);
/* The host's policy changed (signals). */
void daemon_set_mic_allowed(struct daemon *d, bool allowed, const char *why);
/* PulseAudio became ready: create the streams the session needs. */
void daemon_pulse_ready(struct daemon *d);

/* daemon_play.c */
void daemon_play_open(struct daemon *d);
void daemon_play_start(struct daemon *d);
void daemon_play_write(struct daemon *d, const uint8_t *pcm, uint32_t len);
void daemon_play_stop(struct daemon *d);
void daemon_play_close(struct daemon *d);

/* daemon_mic.c */
void daemon_mic_start(struct daemon *d);
void daemon_mic_stop(struct daemon *d);

#endif
