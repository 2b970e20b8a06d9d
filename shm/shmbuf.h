/* Shared window buffers across the domain boundary: sealed memfds (local) or Xen grant tables.
 *
 * A window framebuffer is XRGB8888, stride = width * 4, height rows. The guest creates a buffer and
 * exports it (an fd to pass beside a message, or grant references to put in one); the host imports
 * what the guest sent into a per-guest pool that enforces limits, maps it read-only, and releases it.
 * The host trusts nothing about an imported buffer that it has not checked itself: see
 * docs/security.md, "Shared buffers".
 */
#ifndef SEAM_SHMBUF_H
#define SEAM_SHMBUF_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>

enum shmbuf_kind {
	SHMBUF_MEMFD = 1, /* memfd_create + seals, passed with SCM_RIGHTS (unix: channels) */
	SHMBUF_GRANT = 2, /* Xen grant references: gntalloc in the guest, gntdev in the host */
};

/* The seals a host requires on every imported memfd. */
#define SHMBUF_REQUIRED_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* Default per-guest limits of the host (configurable per pool). */
#define SHMBUF_DEFAULT_MAX_BYTES (256ull << 20) /* total mapped window memory */
#define SHMBUF_DEFAULT_MAX_BUFFERS 2048u	/* 1024 windows, each with one buffer in flight */

struct shmbuf;
struct shmbuf_pool;

/* ---- Guest side -------------------------------------------------------------------------------- */

/* Create a width x height XRGB8888 buffer, mapped read-write, zero-filled. For SHMBUF_GRANT the pages
 * are granted read-only to peer_domid; for SHMBUF_MEMFD peer_domid is ignored and the memfd is sealed
 * against shrinking and growing before this returns. Returns 0 or -errno (-EINVAL for a size outside
 * 1..PROTO_MAX_WINDOW_WIDTH x 1..PROTO_MAX_WINDOW_HEIGHT, -ENODEV where Xen grant devices are absent,
 * -ENOSPC when gntalloc's limit is reached). The caller owns *out and frees it with shmbuf_release().
 */
int shmbuf_create(enum shmbuf_kind kind, uint32_t width, uint32_t height, uint32_t peer_domid,
		  struct shmbuf **out);

/* What travels to the host. For SHMBUF_MEMFD, fd is the buffer's memfd (still owned by the buffer:
 * pass it with SCM_RIGHTS, which duplicates it, and do not close it). For SHMBUF_GRANT, refs/nrefs
 * are the grant references in page order (owned by the buffer). */
struct shmbuf_export {
	enum shmbuf_kind kind;
	uint32_t width, height, stride;
	int fd;
	const uint32_t *refs;
	uint32_t nrefs;
};
void shmbuf_export(const struct shmbuf *b, struct shmbuf_export *out);

/* A memfd another guest process made (the guest driver's window pixmaps), to send as this side's
 * own: checked exactly as shmbuf_import_memfd() checks it on the host, so a buffer the host would
 * refuse never leaves. Takes ownership of fd in every case; not mapped (shmbuf_data() is NULL).
 * 0, or -EINVAL / -ENOMEM with a reason in why. */
int shmbuf_adopt_memfd(int fd, uint32_t width, uint32_t height, uint32_t stride,
		       struct shmbuf **out, char *why, size_t why_len);

/* Grant refs another guest process shared (the guest driver's window pixmaps on Xen), to send as
 * this side's own: the count must be exactly what shmbuf_import_grants() takes for the size. The
 * refs are copied; the pages are neither mapped (shmbuf_data() is NULL) nor unshared here: their
 * owner does that. 0, or -EINVAL / -ENOMEM with a reason in why. */
int shmbuf_adopt_grants(const uint32_t *refs, uint32_t nrefs, uint32_t width, uint32_t height,
			struct shmbuf **out, char *why, size_t why_len);

/* ---- Both sides -------------------------------------------------------------------------------- */

/* The mapping: read-write for the creator, read-only (const) for an importer after shmbuf_map(). NULL
 * for an imported buffer that is not mapped yet. */
void *shmbuf_data(const struct shmbuf *b);
size_t shmbuf_size(const struct shmbuf *b); /* stride * height */
uint32_t shmbuf_width(const struct shmbuf *b);
uint32_t shmbuf_height(const struct shmbuf *b);
uint32_t shmbuf_stride(const struct shmbuf *b);
enum shmbuf_kind shmbuf_kind(const struct shmbuf *b);
/* The memfd of a SHMBUF_MEMFD buffer (owned by the buffer; e.g. for xcb_shm_attach_fd, which
 * duplicates it), or -1. */
int shmbuf_fd(const struct shmbuf *b);

/* Unmap, unshare or unmap the grants, close the fd, give the memory back to the pool (if imported),
 * free. NULL is allowed. */
void shmbuf_release(struct shmbuf *b);

/* ---- Host side ---------------------------------------------------------------------------------- */

struct shmbuf_limits {
	uint64_t max_bytes;   /* total size of all buffers imported and not released */
	uint32_t max_buffers; /* number of such buffers */
};

/* A pool holds one guest's imported buffers and enforces its limits. domid is the guest's Xen domain
 * id (used for grant mapping; ignored for memfds). limits NULL means the defaults above. */
int shmbuf_pool_create(const struct shmbuf_limits *limits, uint32_t domid, struct shmbuf_pool **out);
/* Release every buffer still imported (a guest disconnected), then free the pool. NULL allowed. */
void shmbuf_pool_destroy(struct shmbuf_pool *pool);
uint64_t shmbuf_pool_bytes(const struct shmbuf_pool *pool);
uint32_t shmbuf_pool_count(const struct shmbuf_pool *pool);

/* Import a memfd the guest sent for a width x height buffer with the given stride. Takes ownership of
 * fd in every case (closed on failure). Refuses, with -EINVAL and a reason in why (which may be
 * NULL, else at least 128 bytes): a size outside the protocol bounds, stride != width * 4, an fd that
 * is not a memfd, a memfd without all of SHMBUF_REQUIRED_SEALS, a memfd smaller than stride * height
 * or larger than that rounded up to whole pages; and with -EDQUOT a buffer past the pool's limits,
 * which count a memfd's whole size (what the host X server maps). */
int shmbuf_import_memfd(struct shmbuf_pool *pool, int fd, uint32_t width, uint32_t height,
			uint32_t stride, struct shmbuf **out, char *why, size_t why_len);

/* Import grant references for a width x height buffer (stride = width * 4). The count must be exactly
 * the pages stride * height needs (and at most PROTO_MAX_GRANT_REFS). -EINVAL or -EDQUOT as above;
 * the refs are copied. */
int shmbuf_import_grants(struct shmbuf_pool *pool, const uint32_t *refs, uint32_t nrefs,
			 uint32_t width, uint32_t height, struct shmbuf **out, char *why,
			 size_t why_len);

/* Map an imported buffer read-only (idempotent). For grants this maps the guest's pages with gntdev;
 * a ref the guest does not own, or has unshared, fails with -errno and nothing stays mapped. */
int shmbuf_map(struct shmbuf *b);

#endif
