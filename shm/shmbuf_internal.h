/* Private to shm/shmbuf*.c: the buffer and pool structs, and what the backends share. */
#ifndef SEAM_SHMBUF_INTERNAL_H
#define SEAM_SHMBUF_INTERNAL_H

#include <xengnttab.h>

#include "shm/shmbuf.h"

struct shmbuf {
	enum shmbuf_kind kind;
	uint32_t width, height, stride;
	size_t size; /* stride * height */
	/* What the pool counts: size, or for an imported memfd its whole file (the host X server
	 * maps all of it), which the import allows to exceed size only up to the next page. */
	uint64_t charged;
	void *data; /* the mapping; NULL for an imported buffer not mapped yet */
	int fd;	    /* SHMBUF_MEMFD: the memfd; otherwise -1 */
	/* SHMBUF_GRANT: the grant refs in page order, and the gntalloc handle that shares them
	 * (creator only: an importer maps with its pool's gntdev handle). */
	uint32_t *refs;
	uint32_t nrefs;
	xengntshr_handle *xgs;
	/* Importer only (NULL for the creator): the pool the buffer counts against and its list. */
	struct shmbuf_pool *pool;
	struct shmbuf *prev, *next;
};

struct shmbuf_pool {
	struct shmbuf_limits limits;
	uint32_t domid;
	uint64_t bytes; /* sum of size over buffers */
	uint32_t count; /* length of buffers */
	struct shmbuf *buffers;
	xengnttab_handle *xgt; /* opened by the first grant map, NULL before (see shmbuf_grant.c) */
};

/* Write a reason into why (if why is not NULL) and return err. */
int shmbuf_fail(char *why, size_t why_len, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* -EINVAL (with why) unless 1 <= width <= PROTO_MAX_WINDOW_WIDTH and 1 <= height <=
 * PROTO_MAX_WINDOW_HEIGHT. */
int shmbuf_check_dims(uint32_t width, uint32_t height, char *why, size_t why_len);

/* A zeroed buffer of a size shmbuf_check_dims() accepted, with stride and size set and no fd; NULL
 * when out of memory. Free it with shmbuf_release() whatever the backend did to it. */
struct shmbuf *shmbuf_alloc(enum shmbuf_kind kind, uint32_t width, uint32_t height);

/* Count b against the pool's limits and link it into the pool, or -EDQUOT (with why). */
int shmbuf_pool_admit(struct shmbuf_pool *pool, struct shmbuf *b, char *why, size_t why_len);

/* Backends. _create fills a creator's buffer (on failure the caller releases it, so they leave it
 * in a state _teardown undoes); _map maps an imported one read-only; _teardown unmaps, unshares and
 * closes whatever the buffer holds, but neither unlinks nor frees it. */
int shmbuf_memfd_create(struct shmbuf *b);
int shmbuf_memfd_map(struct shmbuf *b);
void shmbuf_memfd_teardown(struct shmbuf *b);

int shmbuf_grant_create(struct shmbuf *b, uint32_t peer_domid);
int shmbuf_grant_map(struct shmbuf *b);
void shmbuf_grant_teardown(struct shmbuf *b);
/* Close the pool's gntdev handle, once every buffer of the pool is released. */
void shmbuf_grant_pool_close(struct shmbuf_pool *pool);

#endif
