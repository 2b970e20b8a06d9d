/* libFuzzer target: the shared clipboard file's parser (clipboard_file_parse), which reads what
 * another daemon wrote from a guest's copy. Invariants: the text of a file it accepts lies inside
 * the file and within the limit, the file is left unchanged, and formatting the same source and
 * length gives back the very same header (nothing but what a daemon writes is accepted). */
#include <stdlib.h>
#include <string.h>

#include "gui-daemon/clipboard.h"

/* The smallest limit the daemon allows, and the protocol's largest: both shapes get explored. */
#define SMALL_LIMIT 256u
#define LARGE_LIMIT PROTO_CLIPBOARD_MAX

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > CLIPBOARD_FILE_HEADER_MAX + LARGE_LIMIT)
		return 0; /* the daemon never reads a larger file */
	/* An exact-size copy, so ASan sees any read past the file. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	char source[DOMAIN_NAME_MAX + 1];
	size_t off, len;
	uint32_t limit =
	    size <= CLIPBOARD_FILE_HEADER_MAX + SMALL_LIMIT ? SMALL_LIMIT : LARGE_LIMIT;
	if (clipboard_file_parse(buf, size, limit, source, &off, &len) == 0) {
		if (off > size || len > size - off || off + len != size || len > limit)
			abort();
		if (memcmp(buf, data, size))
			abort(); /* an accepted file is never changed */
		char header[CLIPBOARD_FILE_HEADER_MAX];
		int n = clipboard_file_header(source, len, header, sizeof(header));
		if (n < 0 || (size_t)n != off || memcmp(header, buf, off))
			abort();
	}
	free(buf);
	return 0;
}
