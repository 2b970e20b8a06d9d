/* The guest driver's socket's wire format (protocol/drvsock.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "protocol/drvsock.h"
#include "protocol/proto.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

__attribute__((format(printf, 3, 4))) static int fail(char *why, size_t why_len, const char *fmt,
						      ...)
{
	if (why && why_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

void proto_drv_encode_request(const struct proto_drv_request *r,
			      uint8_t out[PROTO_DRV_REQUEST_SIZE])
{
	put32(out, PROTO_DRV_MAGIC);
	put32(out + 4, r->window);
}

int proto_drv_decode_request(const uint8_t *buf, size_t len, struct proto_drv_request *out,
			     char *why, size_t why_len)
{
	if (len != PROTO_DRV_REQUEST_SIZE)
		return fail(why, why_len, "request of %zu bytes, not %u", len,
			    PROTO_DRV_REQUEST_SIZE);
	if (get32(buf) != PROTO_DRV_MAGIC)
		return fail(why, why_len, "bad magic 0x%08x", get32(buf));
	uint32_t window = get32(buf + 4);
	if (window == 0 || window > PROTO_WINDOW_ID_MAX)
		return fail(why, why_len, "window id 0x%x out of range", window);
	out->window = window;
	return 0;
}

void proto_drv_encode_reply(const struct proto_drv_reply *r, uint8_t out[PROTO_DRV_REPLY_SIZE])
{
	put32(out, PROTO_DRV_MAGIC);
	put32(out + 4, r->status);
	put32(out + 8, r->width);
	put32(out + 12, r->height);
	put32(out + 16, r->stride);
	put32(out + 20, r->format);
	put32(out + 24, (uint32_t)r->serial);
	put32(out + 28, (uint32_t)(r->serial >> 32));
}

static int check_ok(const struct proto_drv_reply *r, unsigned nfds, char *why, size_t why_len)
{
	unsigned want = r->status == PROTO_DRV_OK ? 1 : 0;
	if (nfds != want)
		return fail(why, why_len, "status %u with %u descriptors, not %u", r->status, nfds,
			    want);
	if (r->width < 1 || r->width > PROTO_MAX_WINDOW_WIDTH || r->height < 1 ||
	    r->height > PROTO_MAX_WINDOW_HEIGHT)
		return fail(why, why_len, "size %ux%u out of bounds", r->width, r->height);
	if ((uint64_t)r->stride != (uint64_t)r->width * 4)
		return fail(why, why_len, "stride %u is not width * 4", r->stride);
	if (r->format != PROTO_SEAM_FORMAT_XRGB8888)
		return fail(why, why_len, "unknown format %u", r->format);
	if (r->serial == 0)
		return fail(why, why_len, "serial 0");
	return 0;
}

int proto_drv_decode_reply(const uint8_t *buf, size_t len, unsigned nfds,
			   struct proto_drv_reply *out, char *why, size_t why_len)
{
	if (len != PROTO_DRV_REPLY_SIZE)
		return fail(why, why_len, "reply of %zu bytes, not %u", len, PROTO_DRV_REPLY_SIZE);
	if (get32(buf) != PROTO_DRV_MAGIC)
		return fail(why, why_len, "bad magic 0x%08x", get32(buf));
	struct proto_drv_reply r = {
	    .status = get32(buf + 4),
	    .width = get32(buf + 8),
	    .height = get32(buf + 12),
	    .stride = get32(buf + 16),
	    .format = get32(buf + 20),
	    .serial = (uint64_t)get32(buf + 24) | (uint64_t)get32(buf + 28) << 32,
	};
	int rc = 0;
	switch (r.status) {
	case PROTO_DRV_OK:
	case PROTO_DRV_OK_GRANTS:
		rc = check_ok(&r, nfds, why, why_len);
		break;
	case PROTO_DRV_NOT_MINE:
	case PROTO_DRV_BAD_REQUEST:
		if (nfds)
			rc = fail(why, why_len, "status %u with %u descriptors", r.status, nfds);
		else if (r.width || r.height || r.stride || r.format || r.serial)
			rc = fail(why, why_len, "status %u with fields that are not 0", r.status);
		break;
	default:
		rc = fail(why, why_len, "unknown status %u", r.status);
	}
	if (rc == 0)
		*out = r;
	return rc;
}

uint32_t proto_drv_grant_count(const struct proto_drv_reply *r)
{
	/* At most PROTO_MAX_GRANT_REFS for a reply check_ok() accepted. */
	return (uint32_t)PROTO_NUM_PAGES((uint64_t)r->stride * r->height);
}

size_t proto_drv_grants_size(uint32_t nrefs)
{
	return PROTO_DRV_GRANTS_HEADER_SIZE + 4u * (size_t)nrefs;
}

void proto_drv_encode_grants(uint32_t domid, const uint32_t *refs, uint32_t nrefs, uint8_t *out)
{
	put32(out, domid);
	put32(out + 4, nrefs);
	for (uint32_t i = 0; i < nrefs; i++)
		put32(out + PROTO_DRV_GRANTS_HEADER_SIZE + 4u * i, refs[i]);
}

int proto_drv_decode_grants(const struct proto_drv_reply *r, const uint8_t *buf, size_t len,
			    uint32_t *domid, uint32_t *refs, char *why, size_t why_len)
{
	uint32_t want = proto_drv_grant_count(r);
	if (len != proto_drv_grants_size(want))
		return fail(why, why_len, "a grants body of %zu bytes, not %zu", len,
			    proto_drv_grants_size(want));
	uint32_t d = get32(buf), n = get32(buf + 4);
	if (n != want)
		return fail(why, why_len, "%u grant refs for %ux%u, which needs %u", n, r->width,
			    r->height, want);
	if (d > PROTO_DRV_MAX_DOMID)
		return fail(why, why_len, "domain id %u out of range", d);
	*domid = d;
	for (uint32_t i = 0; i < n; i++)
		refs[i] = get32(buf + PROTO_DRV_GRANTS_HEADER_SIZE + 4u * i);
	return 0;
}

int proto_drv_socket_path(const char *runtime_dir, const char *display, char *out, size_t len)
{
	if (!runtime_dir || runtime_dir[0] != '/' || !display)
		return -EINVAL;
	if (strncmp(display, "unix:", 5) == 0)
		display += 5;
	else if (display[0] == ':')
		display++;
	size_t n = strspn(display, "0123456789");
	/* A number, then nothing or ".SCREEN": a host name would mean a remote server. */
	if (n == 0 || n > 10 || (display[n] && display[n] != '.'))
		return -EINVAL;
	int w = snprintf(out, len, "%s/seam-drv-%.*s", runtime_dir, (int)n, display);
	return w < 0 || (size_t)w >= len ? -EINVAL : 0;
}
