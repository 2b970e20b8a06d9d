/* The audio protocol's table for the framing kit, decode, encode and one validator per message. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "audio/audio_proto.h"

#define A	FRAME_SENDER(PROTO_FROM_AGENT)
#define D	FRAME_SENDER(PROTO_FROM_DAEMON)
#define EMPTY	FRAME_FIXED(0)
#define BODY(s) FRAME_FIXED(sizeof(struct s))
/* 1..AUDIO_MAX_PCM_BYTES of whole frames: a broken frame length would shift every later sample,
 * and no honest sender makes one. */
#define PCM FRAME_VARIABLE(0u, AUDIO_FRAME_BYTES, AUDIO_FRAME_BYTES, AUDIO_MAX_PCM_BYTES)

static const struct frame_type audio_types[] = {
    {AUDIO_MSG_HELLO, "HELLO", A, BODY(audio_hello), 0, 0},
    {AUDIO_MSG_CONFIG, "CONFIG", D, BODY(audio_config), 0, 0},
    {AUDIO_MSG_PLAY_DATA, "PLAY_DATA", A, PCM, 0, 0},
    {AUDIO_MSG_PLAY_START, "PLAY_START", A, EMPTY, 0, 0},
    {AUDIO_MSG_PLAY_STOP, "PLAY_STOP", A, EMPTY, 0, 0},
    {AUDIO_MSG_MIC_REQUEST, "MIC_REQUEST", A, BODY(audio_switch), 0, 0},
    {AUDIO_MSG_MIC_STATE, "MIC_STATE", D, BODY(audio_switch), 0, 0},
    {AUDIO_MSG_MIC_DATA, "MIC_DATA", D, PCM, 0, 0},
};

_Static_assert(sizeof(audio_types) / sizeof(audio_types[0]) ==
		   AUDIO_TYPE_LAST - AUDIO_TYPE_FIRST + 1,
	       "one table entry per audio message type");

const struct frame_proto audio_frames = {
    .prefix = "audio ",
    .hdr_words = PROTO_HDR_SIZE / 4u,
    .types = audio_types,
    .ntypes = sizeof(audio_types) / sizeof(audio_types[0]),
};

const char *audio_type_name(uint32_t type)
{
	return frame_type_name(&audio_frames, type);
}

int audio_error(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
		const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	proto_error_vset(err, verdict, &audio_frames, type, field, fmt, ap);
	va_end(ap);
	return -1;
}

enum proto_verdict audio_check_header(enum proto_dir from, const struct proto_hdr *hdr,
				      uint32_t *body_len, struct proto_error *err)
{
	struct frame_error fe;
	int rc = frame_check_header(&audio_frames, from, hdr->type, hdr->untrusted_len, NULL, &fe);
	/* The agent trusts the daemon: a newer daemon's message is skipped, if it is small. */
	if (rc == -ENOMSG && from == PROTO_FROM_DAEMON &&
	    hdr->untrusted_len <= AUDIO_MAX_BODY_LEN) {
		*body_len = hdr->untrusted_len;
		return PROTO_SKIP;
	}
	if (rc == -ENOMSG || rc == -EPERM)
		return proto_error_from_frame(err, PROTO_FATAL, &fe);
	if (hdr->window != 0) {
		audio_error(err, PROTO_FATAL, hdr->type, "window", "%u, must be 0", hdr->window);
		return PROTO_FATAL;
	}
	if (rc)
		return proto_error_from_frame(err, PROTO_FATAL, &fe);
	*body_len = hdr->untrusted_len;
	return PROTO_OK;
}

enum proto_verdict audio_decode(enum proto_dir from, const struct proto_hdr *hdr,
				const uint8_t *body, uint32_t body_len, struct audio_msg *out,
				struct proto_error *err)
{
	uint32_t want;
	enum proto_verdict v = audio_check_header(from, hdr, &want, err);
	if (v != PROTO_OK)
		return v;
	memset(out, 0, sizeof(*out));
	struct frame_error fe;
	if (frame_take(&audio_frames, frame_lookup(&audio_frames, hdr->type), want, body, body_len,
		       0, &out->u, &out->pcm, &out->pcm_len, &fe))
		return proto_error_from_frame(err, PROTO_FATAL, &fe);
	out->type = hdr->type;
	int rc = 0;
	switch (hdr->type) {
	case AUDIO_MSG_HELLO:
		rc = audio_validate_hello(&out->u.hello, err);
		break;
	case AUDIO_MSG_CONFIG:
		rc = audio_validate_config(&out->u.config, err);
		break;
	case AUDIO_MSG_MIC_REQUEST:
	case AUDIO_MSG_MIC_STATE:
		rc = audio_validate_switch(hdr->type, &out->u.sw, err);
		break;
	default: /* PLAY_START, PLAY_STOP: no body; PLAY_DATA, MIC_DATA: the table's bounds */
		break;
	}
	return rc ? (err ? err->verdict : PROTO_FATAL) : PROTO_OK;
}

size_t audio_encoded_len(const struct audio_msg *msg)
{
	if (msg->pcm_len && !msg->pcm)
		return 0;
	return frame_encoded_len(&audio_frames, msg->type, msg->pcm_len);
}

size_t audio_encode(const struct audio_msg *msg, uint8_t *buf, size_t cap)
{
	/* Every body struct sits at the start of the union: the table says how many bytes to take.
	 */
	const struct frame_hdr hdr = {.type = msg->type};
	return frame_encode(&audio_frames, &hdr, &msg->u, msg->pcm, msg->pcm_len, buf, cap);
}

/* Format fields shared by HELLO and CONFIG: a mismatch ends the connection, since no sample that
 * follows could be read right. */
static int check_format(uint32_t type, uint32_t version, uint32_t format, uint32_t rate,
			uint32_t channels, struct proto_error *err)
{
	if (version != AUDIO_VERSION)
		return audio_error(err, PROTO_FATAL, type, "version", "%u, this end speaks %u",
				   version, AUDIO_VERSION);
	if (format != AUDIO_FORMAT_S16LE)
		return audio_error(err, PROTO_FATAL, type, "format", "%u, only %u (s16le) is known",
				   format, AUDIO_FORMAT_S16LE);
	if (rate != AUDIO_RATE_44100 && rate != AUDIO_RATE_48000)
		return audio_error(err, PROTO_FATAL, type, "rate", "%u is neither %u nor %u", rate,
				   AUDIO_RATE_44100, AUDIO_RATE_48000);
	if (channels != AUDIO_CHANNELS)
		return audio_error(err, PROTO_FATAL, type, "channels", "%u, must be %u", channels,
				   AUDIO_CHANNELS);
	return 0;
}

int audio_validate_hello(const struct audio_hello *m, struct proto_error *err)
{
	if (m->magic != AUDIO_MAGIC)
		return audio_error(err, PROTO_FATAL, AUDIO_MSG_HELLO, "magic",
				   "0x%08x, expected 0x%08x", m->magic, AUDIO_MAGIC);
	return check_format(AUDIO_MSG_HELLO, m->version, m->format, m->rate, m->channels, err);
}

int audio_validate_config(const struct audio_config *m, struct proto_error *err)
{
	return check_format(AUDIO_MSG_CONFIG, m->version, m->format, m->rate, m->channels, err);
}

int audio_validate_switch(uint32_t type, const struct audio_switch *m, struct proto_error *err)
{
	if (m->on > 1)
		return audio_error(err, PROTO_DROP, type, "on", "%u, must be 0 or 1", m->on);
	return 0;
}

void audio_config_from_hello(const struct audio_hello *h, struct audio_config *out)
{
	*out = (struct audio_config){h->version, h->format, h->rate, h->channels};
}

uint32_t audio_bytes_per_sec(const struct audio_config *c)
{
	return c->rate * c->channels * 2u;
}
