/* Clipboard text crossing between domains: validated here, as any other guest bytes, before the
 * daemon stores or pastes it. */
#include <errno.h>
#include <string.h>

#include "protocol/proto.h"

long proto_clipboard_sanitize(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t n = proto_utf8_decode(in + i, len - i, &cp);
		/* Not text: refused whole, never repaired behind the user's back. */
		if (cp < 0)
			return -EILSEQ;
		if (!proto_utf8_is_control(cp) || cp == '\t' || cp == '\n') {
			memmove(out + o, in + i, n);
			o += n;
		}
		i += n;
	}
	return (long)o;
}
