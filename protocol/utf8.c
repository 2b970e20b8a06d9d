/* UTF-8 decoding of guest text, one character at a time: the one decoder behind the clipboard's
 * check (protocol/clipboard.c) and window-decor's titles. */
#include "protocol/proto.h"

/* Follows RFC 3629's table of well-formed sequences, where the second byte's range depends on the
 * lead byte; that is what excludes overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED
 * A0..BF) and code points past U+10FFFF (F4 90..BF, F5..FF). An ill-formed sequence is its maximal
 * subpart (Unicode's "substitution of maximal subparts", the W3C/WHATWG practice): the longest
 * prefix of a well-formed sequence, or one byte, so the byte that broke a sequence starts the next
 * decode. */
size_t proto_utf8_decode(const uint8_t *in, size_t len, int32_t *cp)
{
	uint8_t b0 = in[0];
	uint8_t lo = 0x80, hi = 0xbf;
	size_t need;
	int32_t v;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 2;
		v = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 3;
		v = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 4;
		v = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else {
		*cp = -1;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if (i >= len || in[i] < lo || in[i] > hi) {
			*cp = -1;
			return i;
		}
		v = v << 6 | (in[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need;
}

bool proto_utf8_is_control(int32_t cp)
{
	return cp >= 0 && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f));
}
