/* The audio protocol's framing, decode, encode and one validator per message. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audio/audio_proto.h"

#define FROM_A (1u << PROTO_FROM_AGENT)
#define FROM_D (1u << PROTO_FROM_DAEMON)

struct msg_info {
	uint32_t type;
	const char *name;
	unsigned dirs; /* who may send it */
	bool pcm;      /* body: 1..AUDIO_MAX_PCM_BYTES of whole frames; else exactly `size` bytes */
	uint32_t size;
};

/* Indexed by type - AUDIO_TYPE_FIRST. */
static const struct msg_info msg_table[] = {
    {AUDIO_MSG_HELLO, "HELLO", FROM_A, false, sizeof(struct audio_hello)},
    {AUDIO_MSG_CONFIG, "CONFIG", FROM_D, false, sizeof(struct audio_config)},
    {AUDIO_MSG_PLAY_DATA, "PLAY_DATA", FROM_A, true, 0},
    {AUDIO_MSG_PLAY_START, "PLAY_START", FROM_A, false, 0},
    {AUDIO_MSG_PLAY_STOP, "PLAY_STOP", FROM_A, false, 0},
    {AUDIO_MSG_MIC_REQUEST, "MIC_REQUEST", FROM_A, false, sizeof(struct audio_switch)},
    {AUDIO_MSG_MIC_STATE, "MIC_STATE", FROM_D, false, sizeof(struct audio_switch)},
    {AUDIO_MSG_MIC_DATA, "MIC_DATA", FROM_D, true, 0},
};

_Static_assert(sizeof(msg_table) / sizeof(msg_table[0]) == AUDIO_TYPE_LAST - AUDIO_TYPE_FIRST + 1,
	       "one table entry per audio message type");

static const struct msg_info *lookup(uint32_t type)
{
	if (type < AUDIO_TYPE_FIRST || type > AUDIO_TYPE_LAST)
		return NULL;
	return &msg_table[type - AUDIO_TYPE_FIRST];
}

const char *audio_type_name(uint32_t type)
{
	const struct msg_info *mi = lookup(type);
	return mi ? mi->name : "unknown";
}

int audio_error(struct proto_error *err, enum proto_verdict verdict, uint32_t type,
		const char *field, const char *fmt, ...)
{
	if (!err)
		return -1;
	err->verdict = verdict;
	err->type = type;
	err->field = field;
	int n =
	    snprintf(err->text, sizeof(err->text), "audio %s.%s: ", audio_type_name(type), field);
	if (n >= 0 && (size_t)n < sizeof(err->text)) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->text + n, sizeof(err->text) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

enum proto_verdict audio_check_header(enum proto_dir from, const struct proto_hdr *hdr,
				      uint32_t *body_len, struct proto_error *err)
{
	const struct msg_info *mi = lookup(hdr->type);
	const uint32_t len = hdr->untrusted_len;
	if (!mi) {
		/* The agent trusts the daemon: a newer daemon's message is skipped, if it is small.
		 */
		if (from == PROTO_FROM_DAEMON && len <= AUDIO_MAX_BODY_LEN) {
			*body_len = len;
			return PROTO_SKIP;
		}
		audio_error(err, PROTO_FATAL, hdr->type, "type", "0x%x is not an audio message",
			    hdr->type);
		return PROTO_FATAL;
	}
	if (!(mi->dirs & (1u << from))) {
		audio_error(err, PROTO_FATAL, hdr->type, "type", "not sent by the %s",
			    from == PROTO_FROM_AGENT ? "agent" : "daemon");
		return PROTO_FATAL;
	}
	if (hdr->window != 0) {
		audio_error(err, PROTO_FATAL, hdr->type, "window", "%u, must be 0", hdr->window);
		return PROTO_FATAL;
	}
	if (mi->pcm) {
		/* A broken frame length would shift every later sample: no honest sender makes one.
		 */
		if (audio_validate_pcm(hdr->type, len, err))
			return PROTO_FATAL;
	} else if (len != mi->size) {
		audio_error(err, PROTO_FATAL, hdr->type, "untrusted_len", "%u, must be %u", len,
			    mi->size);
		return PROTO_FATAL;
	}
	*body_len = len;
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
	if (body_len != want) {
		audio_error(err, PROTO_FATAL, hdr->type, "untrusted_len",
			    "%u body bytes, expected %u", body_len, want);
		return PROTO_FATAL;
	}
	memset(out, 0, sizeof(*out));
	out->type = hdr->type;
	int rc = 0;
	switch (hdr->type) {
	case AUDIO_MSG_HELLO:
		memcpy(&out->u.hello, body, sizeof(out->u.hello));
		rc = audio_validate_hello(&out->u.hello, err);
		break;
	case AUDIO_MSG_CONFIG:
		memcpy(&out->u.config, body, sizeof(out->u.config));
		rc = audio_validate_config(&out->u.config, err);
		break;
	case AUDIO_MSG_MIC_REQUEST:
	case AUDIO_MSG_MIC_STATE:
		memcpy(&out->u.sw, body, sizeof(out->u.sw));
		rc = audio_validate_switch(hdr->type, &out->u.sw, err);
		break;
	case AUDIO_MSG_PLAY_DATA:
	case AUDIO_MSG_MIC_DATA:
		out->pcm = body;
		out->pcm_len = body_len;
		break;
	default: /* PLAY_START, PLAY_STOP: no body */
		break;
	}
	return rc ? (err ? err->verdict : PROTO_FATAL) : PROTO_OK;
}

size_t audio_encoded_len(const struct audio_msg *msg)
{
	const struct msg_info *mi = lookup(msg->type);
	if (!mi)
		return 0;
	if (!mi->pcm)
		return PROTO_HDR_SIZE + mi->size;
	if (audio_validate_pcm(msg->type, msg->pcm_len, NULL) || !msg->pcm)
		return 0;
	return PROTO_HDR_SIZE + msg->pcm_len;
}

size_t audio_encode(const struct audio_msg *msg, uint8_t *buf, size_t cap)
{
	size_t len = audio_encoded_len(msg);
	if (!len || len > cap)
		return 0;
	struct proto_hdr hdr = {msg->type, 0, (uint32_t)(len - PROTO_HDR_SIZE)};
	proto_hdr_encode(&hdr, buf);
	const void *body = msg->pcm;
	switch (msg->type) {
	case AUDIO_MSG_HELLO:
		body = &msg->u.hello;
		break;
	case AUDIO_MSG_CONFIG:
		body = &msg->u.config;
		break;
	case AUDIO_MSG_MIC_REQUEST:
	case AUDIO_MSG_MIC_STATE:
		body = &msg->u.sw;
		break;
	default:
		break;
	}
	if (len > PROTO_HDR_SIZE)
		memcpy(buf + PROTO_HDR_SIZE, body, len - PROTO_HDR_SIZE);
	return len;
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

int audio_validate_pcm(uint32_t type, uint32_t len, struct proto_error *err)
{
	if (len == 0 || len > AUDIO_MAX_PCM_BYTES)
		return audio_error(err, PROTO_FATAL, type, "untrusted_len", "%u not in [1, %u]",
				   len, AUDIO_MAX_PCM_BYTES);
	if (len % AUDIO_FRAME_BYTES)
		return audio_error(err, PROTO_FATAL, type, "untrusted_len",
				   "%u is not a whole number of %u-byte frames", len,
				   AUDIO_FRAME_BYTES);
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
