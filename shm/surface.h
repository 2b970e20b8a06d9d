/* A window's pixels as both sides of the boundary see them, whatever the transport.
 *
 * Guest: shm_surface_create() makes a framebuffer that the guest X server writes into (always a
 * sealed memfd: attach shm_surface_fd() with MIT-SHM). Over a channel that carries fds the memfd
 * itself travels; over one that cannot (vchan) the surface also owns grant pages shared with the
 * host, and shm_surface_commit() copies the rows X wrote into them. Callers commit after every
 * write whatever the transport; on memfd it costs nothing.
 *
 * Host: shm_surface_import() checks and imports what the guest offered (a memfd, or grant refs
 * that it maps) and gives an fd the host X server can attach: the guest's own memfd, or for
 * grants a staging memfd of the host's. shm_surface_sync() makes damaged rows visible through that
 * fd (a copy for grants, nothing for memfd). The checks are shmbuf's (docs/security.md).
 *
 * So nothing above shm/ knows which transport is in use.
 */
#ifndef SEAM_SURFACE_H
#define SEAM_SURFACE_H

#include <stddef.h>
#include <stdint.h>

#include "shm/chan.h"
#include "shm/shmbuf.h"

struct shm_surface;

/* ---- Guest side --------------------------------------------------------------------------------
 */
/* A width x height XRGB8888 surface for the peer at the end of c (its capabilities choose the
 * backing). 0, or -errno with a reason in why (why_len bytes): -EINVAL for a size outside the
 * protocol's bounds, -ENOSPC when Xen's gntalloc limit is reached (the reason says what to raise),
 * -ENODEV without Xen grant devices. The caller owns *out (shm_surface_destroy). */
int shm_surface_create(const struct chan *c, uint32_t width, uint32_t height,
		       struct shm_surface **out, char *why, size_t why_len);
/* A surface over a memfd that the guest X server's driver made (guest-driver/): the fd (owned by
 * this call in every case) must pass shmbuf_adopt_memfd()'s checks. Only where the channel passes
 * fds: -EOPNOTSUPP otherwise (grant pages would need a copy, which this path exists to avoid).
 * Nothing is ever copied: commit does nothing. 0, or -errno with a reason in why. */
int shm_surface_adopt(const struct chan *c, int fd, uint32_t width, uint32_t height,
		      uint32_t stride, struct shm_surface **out, char *why, size_t why_len);
/* A surface over grant pages the driver shared with domid (the guest driver on Xen): only on a
 * channel to that domain that cannot pass fds (-EOPNOTSUPP otherwise, -EPERM for another domain);
 * the refs must pass shmbuf_adopt_grants()'s checks. Nothing is mapped or copied: commit does
 * nothing, and the driver unshares the pages. 0, or -errno with a reason in why. */
int shm_surface_adopt_grants(const struct chan *c, uint32_t domid, const uint32_t *refs,
			     uint32_t nrefs, uint32_t width, uint32_t height,
			     struct shm_surface **out, char *why, size_t why_len);
/* What to send to the host: an fd to pass beside the message (owned by the surface; the channel
 * duplicates it) or grant refs to put in it. */
void shm_surface_export(const struct shm_surface *s, struct shmbuf_export *out);
/* The guest X server wrote the rectangle: make it visible to the host. Clipped to the surface. */
void shm_surface_commit(struct shm_surface *s, uint32_t x, uint32_t y, uint32_t width,
			uint32_t height);
/* Before any surface exists: a warning (into why, returns 1) if the transport's sharing limit
 * cannot hold even one width x height window (Xen's gntalloc limit), else 0. */
int shm_surface_capacity_advice(const struct chan *c, uint32_t width, uint32_t height, char *why,
				size_t why_len);

/* ---- Host side ---------------------------------------------------------------------------------
 */
/* Import what the guest offered for a window: offer->kind SHMBUF_MEMFD (fd, width, height, stride;
 * the fd is owned by this call in every case) or SHMBUF_GRANT (refs, nrefs, width, height; the
 * refs are copied and mapped now). Counts against pool. 0, or -errno with a reason in why: the
 * shmbuf checks' -EINVAL / -EDQUOT, or a mapping error. The caller owns *out. */
int shm_surface_import(struct shmbuf_pool *pool, const struct shmbuf_export *offer,
		       struct shm_surface **out, char *why, size_t why_len);
/* Make the rectangle's rows current in shm_surface_fd()'s memory. Clipped to the surface. */
void shm_surface_sync(struct shm_surface *s, uint32_t x, uint32_t y, uint32_t width,
		      uint32_t height);
/* The pixels, read-only, for a host that draws them itself (no MIT-SHM fd passing): mapped on
 * first use; NULL if that fails. */
const uint8_t *shm_surface_pixels(struct shm_surface *s);

/* ---- Both sides --------------------------------------------------------------------------------
 */
/* A memfd holding the pixels, for xcb_shm_attach_fd (which takes its own copy): the guest's
 * framebuffer, or on the host the imported memfd or the staging copy. Owned by the surface. */
int shm_surface_fd(const struct shm_surface *s);
uint32_t shm_surface_width(const struct shm_surface *s);
uint32_t shm_surface_height(const struct shm_surface *s);
uint32_t shm_surface_stride(const struct shm_surface *s);
/* Unshare, unmap, close, give back to the pool. NULL allowed. */
void shm_surface_destroy(struct shm_surface *s);

#endif
