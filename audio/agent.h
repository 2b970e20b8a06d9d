/* seam-audio-agent's internals, shared by its files: main (options, PulseAudio context, loop),
 * devices (the guest sink and microphone it adds to the guest's PulseAudio, and watching them),
 * conn (the daemon's channel), play (recording the guest sink, sending PLAY_*) and mic (playing
 * MIC_DATA into the guest microphone). */
#ifndef SEAM_AUDIO_AGENT_H
#define SEAM_AUDIO_AGENT_H

#include <pulse/pulseaudio.h>
#include <stdbool.h>
#include <stdint.h>

#include "audio/level.h"
#include "audio/loop.h"
#include "audio/pulse.h"
#include "shm/chan.h"

/* The devices the agent gives the guest's PulseAudio. */
#define AGENT_SINK     "seam_out"      /* the default sink: what plays there goes to the host */
#define AGENT_MIC_SINK "seam_mic_sink" /* where the agent plays the host's microphone */
#define AGENT_MIC      "seam_mic"      /* the default source: a remap of seam_mic_sink's monitor */

/* Recording chunks from the guest sink's monitor: 10 ms, the latency budget's guest share. */
#define AGENT_FRAGMENT_US 10000u
/* After the last stream in the guest stops, keep recording this long so the tail of the sound
 * (still in the sink and the record buffer) reaches the host, then cork. */
#define AGENT_STOP_GRACE_MS 200
/* PLAY_DATA waiting in the channel's queue past which new data is dropped (~90 ms at 44.1 kHz): a
 * daemon that stops reading costs the guest at most this much latency. */
#define AGENT_MAX_QUEUED 16384u
/* The microphone feed's latency (PulseAudio splits it between the stream and the null sink); the
 * stream's part is the most ever buffered: past it, new data is dropped. */
#define AGENT_MIC_LATENCY_US 60000u
/* Messages handled per loop turn. */
#define AGENT_MSGS_PER_TURN 64
/* Wait before reconnecting to a PulseAudio server that went away. */
#define AGENT_PULSE_RETRY_MS 1000

struct agent_opts {
	const char *channel;
	uint32_t rate; /* the rate offered in HELLO */
	int verbose;
};

enum agent_conn {
	AGENT_CONN_WAITING = 1, /* no daemon */
	AGENT_CONN_HELLO_SENT,	/* waiting for CONFIG */
	AGENT_CONN_RUNNING,
};

struct agent {
	struct agent_opts opts;
	struct audio_loop *loop;
	pa_mainloop_api *api;
	struct chan *chan;
	enum agent_conn conn;
	struct audio_config config; /* valid while RUNNING */
	bool mic_allowed;	    /* the daemon's last MIC_STATE */

	/* The guest's PulseAudio. */
	struct audio_pulse pulse;
	unsigned setup_step; /* agent_devices.c: which device is being ensured */
	bool devices_ready;
	uint32_t sink_index;	       /* AGENT_SINK's index */
	uint32_t mic_index;	       /* AGENT_MIC's index */
	uint32_t owned_modules[3];     /* modules this agent loaded (PA_INVALID_INDEX: none) */
	bool scan_running, scan_again; /* sink-input scans, coalesced */
	unsigned scan_count;	       /* uncorked streams on AGENT_SINK seen by the running scan */
	int unload_pending, unload_done;
	bool guest_playing;   /* an uncorked stream plays on AGENT_SINK */
	bool guest_recording; /* AGENT_MIC is RUNNING: an application records */

	/* Playback: the monitor of AGENT_SINK, recorded only while the guest plays. */
	pa_stream *rec;
	bool sending; /* PLAY_START sent, PLAY_STOP not yet */
	pa_time_event *stop_timer;
	uint64_t sent_bytes, dropped_bytes;

	/* Microphone: MIC_DATA played into AGENT_MIC_SINK. */
	pa_stream *micplay;
	bool micplay_ready;
	bool micplay_corked;
	uint32_t micplay_tlength;
	struct audio_level mic_level;
	bool mic_request_sent; /* the last MIC_REQUEST said on */
};

/* agent_devices.c */
void agent_devices_setup(struct agent *a);  /* the context is ready: ensure devices, subscribe */
void agent_devices_unload(struct agent *a); /* unload what this agent loaded */

/* agent_conn.c */
void agent_conn_config(struct agent *a, struct chan_config *cfg);
void agent_conn_event(void *ctx, unsigned events);
void agent_send(struct agent *a, const struct audio_msg *m);
/* The guest's recording state changed, or the connection came up: tell the daemon. */
void agent_mic_request_update(struct agent *a);

/* agent_play.c */
void agent_play_update(struct agent *a); /* guest_playing or the connection changed */
void agent_play_close(struct agent *a);

/* agent_mic.c */
/* guest_recording, PulseAudio or the connection changed: open or close the feed, tell the daemon.
 */
void agent_mic_update(struct agent *a);
void agent_mic_data(struct agent *a, const uint8_t *pcm, uint32_t len);
void agent_mic_close(struct agent *a);

#endif
