/* Xen grant buffers: gntalloc shares the guest's pages read-only, gntdev maps them in the host.
 *
 * Handles: the guest opens one gntalloc handle per buffer, the host one gntdev handle per pool.
 * shmbuf_create() has no object a guest-wide handle could live in, and a fresh gntalloc fd per
 * buffer puts that buffer's pages at offset 0 of the fd (DESIGN.md 8b). A pool is one guest: one
 * gntdev handle for all of its buffers is one fd, where a handle per buffer would be up to
 * max_buffers (2048 by default) fds, past the usual RLIMIT_NOFILE of 1024. No buffer outlives its
 * pool, so the handle is closed last, by shmbuf_pool_destroy().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "protocol/proto.h"
#include "shm/shmbuf_internal.h"

/* A missing device node (not on Xen, or the modules not loaded) is an expected condition that the
 * caller reports once: -ENODEV. Anything else (EACCES, EMFILE...) is passed on. */
static int open_error(void)
{
	int e = errno;
	if (e == 0 || e == ENOENT || e == ENODEV || e == ENXIO)
		return -ENODEV;
	return -e;
}

int shmbuf_grant_create(struct shmbuf *b, uint32_t peer_domid)
{
	/* At most PROTO_MAX_GRANT_REFS (98304) pages for a size shmbuf_check_dims() accepted: the
	 * casts to uint32_t and int below cannot truncate. */
	uint32_t npages = (uint32_t)PROTO_NUM_PAGES(b->size);
	b->refs = calloc(npages, sizeof(*b->refs));
	if (!b->refs)
		return -ENOMEM;
	b->nrefs = npages;
	b->xgs = xengntshr_open(NULL, 0);
	if (!b->xgs)
		return open_error();
	/* gntalloc hands out zeroed pages, as shmbuf_create() promises. */
	void *p = xengntshr_share_pages(b->xgs, peer_domid, (int)npages, b->refs, 0);
	if (!p) {
		int e = errno;
		/* gntalloc's limit on granted pages (ENOSPC: module parameter xen_gntalloc.limit,
		 * 1024 pages for the whole guest by default) or the memory behind them (ENOMEM). */
		if (e == ENOSPC || e == ENOMEM)
			return -ENOSPC;
		return e ? -e : -EIO;
	}
	b->data = p;
	return 0;
}

/* A buffer of width x height holding a copy of refs, unmapped, after the checks both sides make:
 * the size, and exactly the pages it needs (at most PROTO_MAX_GRANT_REFS). */
static int grants_checked(const uint32_t *refs, uint32_t nrefs, uint32_t width, uint32_t height,
			  struct shmbuf **out, char *why, size_t why_len)
{
	*out = NULL;
	if (why && why_len)
		why[0] = '\0';
	int r = shmbuf_check_dims(width, height, why, why_len);
	if (r < 0)
		return r;
	if (nrefs > PROTO_MAX_GRANT_REFS)
		return shmbuf_fail(why, why_len, -EINVAL,
				   "got %" PRIu32 " grant refs, more than the protocol's %" PRIu32,
				   nrefs, PROTO_MAX_GRANT_REFS);
	uint64_t need = PROTO_NUM_PAGES((uint64_t)width * 4 * height);
	if (nrefs != need)
		return shmbuf_fail(why, why_len, -EINVAL,
				   "got %" PRIu32 " grant refs, a %" PRIu32 "x%" PRIu32
				   " buffer needs exactly %" PRIu64,
				   nrefs, width, height, need);
	struct shmbuf *b = shmbuf_alloc(SHMBUF_GRANT, width, height);
	if (b)
		b->refs = malloc((size_t)nrefs * sizeof(*b->refs));
	if (!b || !b->refs) {
		shmbuf_release(b);
		return shmbuf_fail(why, why_len, -ENOMEM, "out of memory");
	}
	memcpy(b->refs, refs, (size_t)nrefs * sizeof(*b->refs));
	b->nrefs = nrefs;
	*out = b;
	return 0;
}

int shmbuf_adopt_grants(const uint32_t *refs, uint32_t nrefs, uint32_t width, uint32_t height,
			struct shmbuf **out, char *why, size_t why_len)
{
	return grants_checked(refs, nrefs, width, height, out, why, why_len);
}

int shmbuf_import_grants(struct shmbuf_pool *pool, const uint32_t *refs, uint32_t nrefs,
			 uint32_t width, uint32_t height, struct shmbuf **out, char *why,
			 size_t why_len)
{
	*out = NULL;
	struct shmbuf *b;
	int r = grants_checked(refs, nrefs, width, height, &b, why, why_len);
	if (r < 0)
		return r;
	r = shmbuf_pool_admit(pool, b, why, why_len);
	if (r < 0) {
		shmbuf_release(b);
		return r;
	}
	*out = b;
	return 0;
}

int shmbuf_grant_map(struct shmbuf *b)
{
	struct shmbuf_pool *pool = b->pool;
	if (!pool->xgt) {
		pool->xgt = xengnttab_open(NULL, 0);
		if (!pool->xgt)
			return open_error();
	}
	/* The domid is the pool's, never the guest's word. Xen looks each ref up in that domain's
	 * grant table and maps it only if that domain granted it to us, so a crafted ref names at
	 * most the guest's own pages. On failure libxengnttab leaves nothing mapped, even when only
	 * some refs were bad. */
	b->data = xengnttab_map_domain_grant_refs(pool->xgt, b->nrefs, pool->domid, b->refs,
						  PROT_READ);
	if (!b->data)
		return errno ? -errno : -EIO;
	return 0;
}

void shmbuf_grant_teardown(struct shmbuf *b)
{
	if (b->xgs) {
		/* The creator: unshare, then close its own handle. */
		if (b->data)
			xengntshr_unshare(b->xgs, b->data, b->nrefs);
		xengntshr_close(b->xgs);
	} else if (b->data) {
		/* An importer's mapping: shmbuf_grant_map() made it with the pool's handle. */
		xengnttab_unmap(b->pool->xgt, b->data, b->nrefs);
	}
}

void shmbuf_grant_pool_close(struct shmbuf_pool *pool)
{
	if (pool->xgt)
		xengnttab_close(pool->xgt);
}
