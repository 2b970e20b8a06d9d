/* Seam audio protocol: wire format, limits, encode/decode and validation. No PulseAudio, no I/O.
 *
 * The audio pair (seam-audio-agent in the guest, seam-audio-daemon on the host) talks over its own
 * channel (shm/chan.h, a separate address from the GUI's). Every message is the GUI protocol's
 * 12-byte header {type, window = 0, untrusted_len} followed by a body whose size depends on type.
 * Types live in a Seam-only range (0x5ea3a0xx), far from Qubes' GUI numbers and Seam's GUI
 * extensions. docs/audio.md is the specification; this header matches it field for field.
 *
 * As in protocol/, everything from the agent is hostile: audio_check_header() decides how many body
 * bytes may be read before any are, and audio_decode() turns bytes into a validated struct
 * audio_msg or a struct proto_error naming the field, with a verdict (DROP or FATAL).
 */
#ifndef SEAM_AUDIO_PROTO_H
#define SEAM_AUDIO_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/proto.h"

/* ---- Message types --------------------------------------------------------------------------- */

enum audio_type {
	AUDIO_MSG_HELLO = 0x5ea3a001,	    /* agent: version and the format it will send */
	AUDIO_MSG_CONFIG = 0x5ea3a002,	    /* daemon: the format both use (the answer to HELLO) */
	AUDIO_MSG_PLAY_DATA = 0x5ea3a003,   /* agent: PCM the guest plays */
	AUDIO_MSG_PLAY_START = 0x5ea3a004,  /* agent: something plays in the guest (uncork) */
	AUDIO_MSG_PLAY_STOP = 0x5ea3a005,   /* agent: nothing plays any more (drain, then cork) */
	AUDIO_MSG_MIC_REQUEST = 0x5ea3a006, /* agent: a guest application records (or stopped) */
	AUDIO_MSG_MIC_STATE = 0x5ea3a007,   /* daemon: the host's policy allows the mic (or not) */
	AUDIO_MSG_MIC_DATA = 0x5ea3a008,    /* daemon: PCM from the host's microphone */
};

#define AUDIO_TYPE_FIRST AUDIO_MSG_HELLO
#define AUDIO_TYPE_LAST	 AUDIO_MSG_MIC_DATA

/* ---- Format and limits ----------------------------------------------------------------------- */

/* "SAUD" in wire byte order: a GUI peer or anything else on the wrong address fails at once. */
#define AUDIO_MAGIC   0x44554153u
#define AUDIO_VERSION 1u

/* The one sample format: signed 16-bit little-endian, as Qubes' audio (and every sound card). */
#define AUDIO_FORMAT_S16LE 1u
/* Rates: 44100 is Qubes' fixed rate and PulseAudio's default; 48000 is what most hardware and
 * PipeWire run at. Anything else would force a resampler on one side for no gain. */
#define AUDIO_RATE_44100   44100u
#define AUDIO_RATE_48000   48000u
#define AUDIO_RATE_DEFAULT AUDIO_RATE_44100
/* Stereo only: every desktop mixes to two channels; mono sources are upmixed by PulseAudio. */
#define AUDIO_CHANNELS	  2u
#define AUDIO_FRAME_BYTES (AUDIO_CHANNELS * 2u)

/* Largest PCM body: 8 KiB is 46 ms at 44100 Hz, four times the 10 ms chunks both ends send, so an
 * honest peer never comes near it, and the host never holds more than this per message. */
#define AUDIO_MAX_PCM_BYTES 8192u
/* Largest body of any message (the receive buffer's size follows from it). */
#define AUDIO_MAX_BODY_LEN AUDIO_MAX_PCM_BYTES

/* ---- Wire structs: all 32-bit fields, little-endian host order as in protocol/ --------------- */

struct audio_hello {
	uint32_t magic;	   /* AUDIO_MAGIC */
	uint32_t version;  /* AUDIO_VERSION */
	uint32_t format;   /* AUDIO_FORMAT_S16LE */
	uint32_t rate;	   /* AUDIO_RATE_44100 or AUDIO_RATE_48000 */
	uint32_t channels; /* AUDIO_CHANNELS */
};

/* The daemon's answer: the format both ends use from now on (the agent's, if the daemon takes it).
 */
struct audio_config {
	uint32_t version;
	uint32_t format;
	uint32_t rate;
	uint32_t channels;
};

/* MIC_REQUEST (on: a guest application records) and MIC_STATE (on: the host allows the mic). */
struct audio_switch {
	uint32_t on; /* 0 or 1 */
};

_Static_assert(sizeof(struct audio_hello) == 20, "audio hello");
_Static_assert(sizeof(struct audio_config) == 16, "audio config");
_Static_assert(sizeof(struct audio_switch) == 4, "audio switch");

/* ---- Decoded messages ------------------------------------------------------------------------ */

struct audio_msg {
	uint32_t type;
	union {
		struct audio_hello hello;
		struct audio_config config;
		struct audio_switch sw;
	} u;
	/* PLAY_DATA and MIC_DATA: after audio_decode() it points into the body the caller passed
	 * (not copied); for audio_encode() it is read from. A whole number of frames. */
	const uint8_t *pcm;
	uint32_t pcm_len;
};

/* ---- Framing --------------------------------------------------------------------------------- */

/* The audio protocol's table for the framing kit (protocol/frame.h): who sends each type (senders
 * are enum proto_dir values) and its body's bounds. No audio message carries fds. */
extern const struct frame_proto audio_frames;

/* Decide from the header alone how much body to read. On PROTO_OK *body_len is the exact body
 * length; on PROTO_SKIP (daemon messages the agent does not know) it is the number of bytes to read
 * and discard. On PROTO_FATAL nothing more may be read and err says why. */
enum proto_verdict audio_check_header(enum proto_dir from, const struct proto_hdr *hdr,
				      uint32_t *body_len, struct proto_error *err);

/* Decode and validate one message whose header passed audio_check_header() with PROTO_OK and
 * whose body_len bytes have been read. On PROTO_OK *out is filled (out->pcm points into body). */
enum proto_verdict audio_decode(enum proto_dir from, const struct proto_hdr *hdr,
				const uint8_t *body, uint32_t body_len, struct audio_msg *out,
				struct proto_error *err);

/* Bytes audio_encode() writes for msg (header included), or 0 if it cannot be encoded (unknown
 * type, PCM length not a whole number of frames or past AUDIO_MAX_PCM_BYTES). */
size_t audio_encoded_len(const struct audio_msg *msg);

/* Write header + body into buf. Returns the bytes written, or 0 (see audio_encoded_len, or cap
 * too small). untrusted_len is computed, never taken from the caller. */
size_t audio_encode(const struct audio_msg *msg, uint8_t *buf, size_t cap);

/* "HELLO", "PLAY_DATA", ... or "unknown". */
const char *audio_type_name(uint32_t type);

/* ---- Validation: one function per message body ----------------------------------------------- */
/* Each returns 0, or -1 with err filled (message and field named, verdict set). PCM bodies need
 * none: their bounds (whole frames, 1..AUDIO_MAX_PCM_BYTES) are the table's. */

int audio_validate_hello(const struct audio_hello *m, struct proto_error *err);
int audio_validate_config(const struct audio_config *m, struct proto_error *err);
int audio_validate_switch(uint32_t type, const struct audio_switch *m, struct proto_error *err);

/* Fill err (when not NULL) for a message of this type, naming the field and saying why in one log
 * line; returns -1. */
int audio_error(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
		const char *field, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The CONFIG a daemon answers a valid hello with. */
void audio_config_from_hello(const struct audio_hello *h, struct audio_config *out);

/* Bytes per second of a config's format. */
uint32_t audio_bytes_per_sec(const struct audio_config *c);

#endif
