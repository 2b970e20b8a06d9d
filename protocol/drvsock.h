/* The guest driver's socket (docs/protocol.md, "The guest driver's socket"): how seam-gui-agent
 * asks seam_drv, the guest Xorg's video driver, for the memfd that holds a window's pixels. Both
 * ends run in the guest: nothing here crosses the domain boundary. Pure C: no I/O.
 *
 * A request is 8 bytes, a reply 32, both little-endian; an OK reply carries the memfd as
 * SCM_RIGHTS, no other reply carries a descriptor. An OK_GRANTS reply (a driver told to share
 * with a Xen domain: its pixmaps are gntalloc pages) is followed by a body: the domain the pages
 * are granted to, the number of refs, and the refs in page order. */
#ifndef SEAM_PROTO_DRVSOCK_H
#define SEAM_PROTO_DRVSOCK_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_DRV_MAGIC	       0x5ea3d701u
#define PROTO_DRV_REQUEST_SIZE 8u
#define PROTO_DRV_REPLY_SIZE   32u

enum proto_drv_status {
	PROTO_DRV_OK = 0,	   /* the window's pixmap is the driver's memfd: it comes beside */
	PROTO_DRV_NOT_MINE = 1,	   /* no such window, unredirected, or its pixmap is fb's own */
	PROTO_DRV_BAD_REQUEST = 2, /* the request was malformed; the driver then hangs up */
	PROTO_DRV_OK_GRANTS = 3,   /* the pixmap is granted pages: a body of refs follows */
};

/* The OK_GRANTS body: domid, nrefs (each 4 bytes), then nrefs refs of 4 bytes. */
#define PROTO_DRV_GRANTS_HEADER_SIZE 8u
/* The largest Xen domain id a grant may name (DOMID_FIRST_RESERVED - 1). */
#define PROTO_DRV_MAX_DOMID 0x7fefu

struct proto_drv_request {
	uint32_t window; /* an X window id, 1..PROTO_WINDOW_ID_MAX */
};

struct proto_drv_reply {
	uint32_t status; /* enum proto_drv_status; the rest are 0 unless PROTO_DRV_OK */
	uint32_t width, height;
	uint32_t stride; /* width * 4 */
	uint32_t format; /* PROTO_SEAM_FORMAT_XRGB8888 */
	uint64_t serial; /* the pixmap's: a new pixmap (resize, remap) has a new one; never 0 */
};

void proto_drv_encode_request(const struct proto_drv_request *r,
			      uint8_t out[PROTO_DRV_REQUEST_SIZE]);
/* 0, or -EINVAL with the reason in why: a length other than PROTO_DRV_REQUEST_SIZE, a bad magic, a
 * window id out of range. */
int proto_drv_decode_request(const uint8_t *buf, size_t len, struct proto_drv_request *out,
			     char *why, size_t why_len);

void proto_drv_encode_reply(const struct proto_drv_reply *r, uint8_t out[PROTO_DRV_REPLY_SIZE]);
/* 0, or -EINVAL with the reason in why: a length other than PROTO_DRV_REPLY_SIZE, a bad magic or
 * status, nfds (descriptors received with it) other than 1 for PROTO_DRV_OK and 0 otherwise, and
 * for PROTO_DRV_OK and PROTO_DRV_OK_GRANTS a size outside the protocol's window bounds, stride !=
 * width * 4, another format, or serial 0; for other statuses a field that is not 0. */
int proto_drv_decode_reply(const uint8_t *buf, size_t len, unsigned nfds,
			   struct proto_drv_reply *out, char *why, size_t why_len);

/* The refs an OK_GRANTS reply r carries: the pages of stride * height (r already decoded). */
uint32_t proto_drv_grant_count(const struct proto_drv_reply *r);
/* The body's size for nrefs refs. */
size_t proto_drv_grants_size(uint32_t nrefs);
/* Write the body (proto_drv_grants_size(nrefs) bytes) to out. */
void proto_drv_encode_grants(uint32_t domid, const uint32_t *refs, uint32_t nrefs, uint8_t *out);
/* Decode the body that followed the OK_GRANTS reply r: 0 with *domid and refs[] (room for
 * proto_drv_grant_count(r)), or -EINVAL with the reason in why: a length other than the body's
 * for that count, a count that is not the count, a domain id past PROTO_DRV_MAX_DOMID. */
int proto_drv_decode_grants(const struct proto_drv_reply *r, const uint8_t *buf, size_t len,
			    uint32_t *domid, uint32_t *refs, char *why, size_t why_len);

/* The socket's default path, on which the driver and the agent agree:
 * RUNTIME_DIR/seam-drv-N for the display number N. display is the driver's ("5") or the agent's
 * (":5", ":5.0", "unix:5.0"). 0, or -EINVAL when there is no runtime directory (NULL, empty or
 * relative), the display is not a local one with a number, or the path does not fit len. */
int proto_drv_socket_path(const char *runtime_dir, const char *display, char *out, size_t len);

#endif
