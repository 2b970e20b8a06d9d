/* A guest's notification text made fit to show on the host (proto_notify_clean, protocol/proto.h):
 * no markup, no controls, no bidirectional overrides, bounded. */
#include <string.h>

#include "protocol/proto.h"

/* The longest entity decoded, "&quot;" and "&apos;", is 6 bytes; a longer run without ';' is no
 * entity. */
#define ENTITY_MAX 10u

struct out {
	char *buf;
	size_t size, len;
	bool full; /* a character did not fit: nothing more is written */
};

static void put(struct out *o, const uint8_t *s, size_t n)
{
	if (o->full || o->len + n > o->size - 1) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* The replacement of the entity at in[0] ('&'), and its length in *used; NULL when it is no
 * entity (the '&' stays). An entity not in the table is dropped whole (""). */
static const char *entity(const uint8_t *in, size_t len, size_t *used)
{
	static const struct {
		const char *name, *text;
	} known[] = {
	    {"&amp;", "&"},	      {"&quot;", "\""},		{"&apos;", "'"},
	    {"&lt;", "\xe2\x80\xb9"}, {"&gt;", "\xe2\x80\xba"}, /* U+2039, U+203A */
	};
	size_t n = 1;
	while (n < len && n < ENTITY_MAX && in[n] != ';' &&
	       ((in[n] >= 'a' && in[n] <= 'z') || (in[n] >= 'A' && in[n] <= 'Z') ||
		(in[n] >= '0' && in[n] <= '9') || in[n] == '#'))
		n++;
	if (n == 1 || n >= len || in[n] != ';')
		return NULL;
	*used = n + 1;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == n + 1 && !memcmp(known[i].name, in, n + 1))
			return known[i].text;
	return "";
}

static bool is_bidi_control(int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t proto_notify_clean(const uint8_t *in, size_t len, bool multiline, char *out, size_t size)
{
	struct out o = {out, size, 0, false};
	for (size_t i = 0; i < len && !o.full;) {
		if (in[i] == '<') {
			const uint8_t *end = memchr(in + i, '>', len - i);
			i = end ? (size_t)(end - in) + 1 : i + 1;
			continue;
		}
		if (in[i] == '>') {
			i++;
			continue;
		}
		if (in[i] == '&') {
			size_t used;
			const char *text = entity(in + i, len - i, &used);
			if (text) {
				put(&o, (const uint8_t *)text, strlen(text));
				i += used;
				continue;
			}
		}
		int32_t cp;
		size_t n = proto_utf8_decode(in + i, len - i, &cp);
		if (cp == '\n' || cp == '\t')
			put(&o, (const uint8_t *)(cp == '\n' && multiline ? "\n" : " "), 1);
		else if (cp >= 0 && !proto_utf8_is_control(cp) && !is_bidi_control(cp))
			put(&o, in + i, n);
		i += n;
	}
	out[o.len] = '\0';
	return o.len;
}
