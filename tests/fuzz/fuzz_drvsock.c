/* libFuzzer target: the guest driver's socket (protocol/drvsock.h) as the agent reads a reply and
 * the driver reads a request; either end may be another process of the guest's user.
 *
 * Input: one byte of descriptor count (0..3), then a 32-byte reply, then the rest as an OK_GRANTS
 * body; the first 8 bytes are also read as a request. Invariants checked: an accepted request
 * names a window in 1..PROTO_WINDOW_ID_MAX; an accepted reply has the descriptor count its status
 * wants, an OK or OK_GRANTS reply a size within the protocol's bounds, stride = width * 4 and a
 * serial; its grant count is at most PROTO_MAX_GRANT_REFS; an accepted body has exactly that many
 * refs, a domain id in range, and encodes back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/drvsock.h"
#include "protocol/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_request(const uint8_t *data, size_t size)
{
	struct proto_drv_request q;
	char why[128];
	size_t n = size < PROTO_DRV_REQUEST_SIZE ? size : PROTO_DRV_REQUEST_SIZE;
	if (proto_drv_decode_request(data, n, &q, why, sizeof(why)) == 0 &&
	    (n != PROTO_DRV_REQUEST_SIZE || q.window == 0 || q.window > PROTO_WINDOW_ID_MAX))
		abort();
}

static void check_grants(const struct proto_drv_reply *r, const uint8_t *body, size_t len)
{
	uint32_t n = proto_drv_grant_count(r);
	if (n == 0 || n > PROTO_MAX_GRANT_REFS)
		abort();
	uint32_t *refs = malloc((size_t)n * sizeof(uint32_t)), domid;
	char why[128];
	if (proto_drv_decode_grants(r, body, len, &domid, refs, why, sizeof(why)) == 0) {
		if (len != proto_drv_grants_size(n) || domid > PROTO_DRV_MAX_DOMID)
			abort();
		uint8_t *back = malloc(len);
		proto_drv_encode_grants(domid, refs, n, back);
		if (memcmp(back, body, len))
			abort();
		free(back);
	}
	free(refs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_request(data, size);
	if (size < 1 + PROTO_DRV_REPLY_SIZE)
		return 0;
	unsigned nfds = data[0] & 3;
	struct proto_drv_reply r;
	char why[128];
	if (proto_drv_decode_reply(data + 1, PROTO_DRV_REPLY_SIZE, nfds, &r, why, sizeof(why)))
		return 0;
	switch (r.status) {
	case PROTO_DRV_OK:
	case PROTO_DRV_OK_GRANTS:
		if (nfds != (r.status == PROTO_DRV_OK) || r.width < 1 ||
		    r.width > PROTO_MAX_WINDOW_WIDTH || r.height < 1 ||
		    r.height > PROTO_MAX_WINDOW_HEIGHT || r.stride != r.width * 4 || r.serial == 0)
			abort();
		if (r.status == PROTO_DRV_OK_GRANTS)
			check_grants(&r, data + 1 + PROTO_DRV_REPLY_SIZE,
				     size - 1 - PROTO_DRV_REPLY_SIZE);
		break;
	case PROTO_DRV_NOT_MINE:
	case PROTO_DRV_BAD_REQUEST:
		if (nfds || r.width || r.height || r.stride || r.format || r.serial)
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
