/* Shared window buffers, common to both backends: size checks, accessors, the host's pool. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "protocol/proto.h"
#include "shm/shmbuf_internal.h"

int shmbuf_fail(char *why, size_t why_len, int err, const char *fmt, ...)
{
	if (why && why_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return err;
}

int shmbuf_check_dims(uint32_t width, uint32_t height, char *why, size_t why_len)
{
	if (width < 1 || width > PROTO_MAX_WINDOW_WIDTH)
		return shmbuf_fail(why, why_len, -EINVAL, "width %" PRIu32 " not in [1, %u]", width,
				   PROTO_MAX_WINDOW_WIDTH);
	if (height < 1 || height > PROTO_MAX_WINDOW_HEIGHT)
		return shmbuf_fail(why, why_len, -EINVAL, "height %" PRIu32 " not in [1, %u]",
				   height, PROTO_MAX_WINDOW_HEIGHT);
	return 0;
}

struct shmbuf *shmbuf_alloc(enum shmbuf_kind kind, uint32_t width, uint32_t height)
{
	struct shmbuf *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->kind = kind;
	b->width = width;
	b->height = height;
	b->stride = width * 4; /* width <= PROTO_MAX_WINDOW_WIDTH: cannot wrap */
	b->size = (size_t)((uint64_t)b->stride * height);
	b->charged = b->size;
	b->fd = -1;
	return b;
}

int shmbuf_create(enum shmbuf_kind kind, uint32_t width, uint32_t height, uint32_t peer_domid,
		  struct shmbuf **out)
{
	*out = NULL;
	if (kind != SHMBUF_MEMFD && kind != SHMBUF_GRANT)
		return -EINVAL;
	int r = shmbuf_check_dims(width, height, NULL, 0);
	if (r < 0)
		return r;
	struct shmbuf *b = shmbuf_alloc(kind, width, height);
	if (!b)
		return -ENOMEM;
	r = kind == SHMBUF_MEMFD ? shmbuf_memfd_create(b) : shmbuf_grant_create(b, peer_domid);
	if (r < 0) {
		shmbuf_release(b);
		return r;
	}
	*out = b;
	return 0;
}

void shmbuf_export(const struct shmbuf *b, struct shmbuf_export *out)
{
	out->kind = b->kind;
	out->width = b->width;
	out->height = b->height;
	out->stride = b->stride;
	out->fd = b->fd;
	out->refs = b->refs;
	out->nrefs = b->nrefs;
}

void *shmbuf_data(const struct shmbuf *b)
{
	return b->data;
}

size_t shmbuf_size(const struct shmbuf *b)
{
	return b->size;
}

uint32_t shmbuf_width(const struct shmbuf *b)
{
	return b->width;
}

uint32_t shmbuf_height(const struct shmbuf *b)
{
	return b->height;
}

uint32_t shmbuf_stride(const struct shmbuf *b)
{
	return b->stride;
}

enum shmbuf_kind shmbuf_kind(const struct shmbuf *b)
{
	return b->kind;
}

int shmbuf_fd(const struct shmbuf *b)
{
	return b->fd;
}

int shmbuf_map(struct shmbuf *b)
{
	if (b->data)
		return 0;
	return b->kind == SHMBUF_MEMFD ? shmbuf_memfd_map(b) : shmbuf_grant_map(b);
}

void shmbuf_release(struct shmbuf *b)
{
	if (!b)
		return;
	if (b->kind == SHMBUF_MEMFD)
		shmbuf_memfd_teardown(b);
	else
		shmbuf_grant_teardown(b);
	struct shmbuf_pool *pool = b->pool;
	if (pool) {
		if (b->prev)
			b->prev->next = b->next;
		else
			pool->buffers = b->next;
		if (b->next)
			b->next->prev = b->prev;
		pool->bytes -= b->charged;
		pool->count--;
	}
	free(b->refs);
	free(b);
}

static const struct shmbuf_limits default_limits = {
    .max_bytes = SHMBUF_DEFAULT_MAX_BYTES,
    .max_buffers = SHMBUF_DEFAULT_MAX_BUFFERS,
};

int shmbuf_pool_create(const struct shmbuf_limits *limits, uint32_t domid, struct shmbuf_pool **out)
{
	*out = NULL;
	struct shmbuf_pool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->limits = limits ? *limits : default_limits;
	pool->domid = domid;
	*out = pool;
	return 0;
}

void shmbuf_pool_destroy(struct shmbuf_pool *pool)
{
	if (!pool)
		return;
	/* Each release unlinks the head: this runs pool->count times. */
	while (pool->buffers)
		shmbuf_release(pool->buffers);
	shmbuf_grant_pool_close(pool);
	free(pool);
}

uint64_t shmbuf_pool_bytes(const struct shmbuf_pool *pool)
{
	return pool->bytes;
}

uint32_t shmbuf_pool_count(const struct shmbuf_pool *pool)
{
	return pool->count;
}

int shmbuf_pool_admit(struct shmbuf_pool *pool, struct shmbuf *b, char *why, size_t why_len)
{
	if (pool->count >= pool->limits.max_buffers)
		return shmbuf_fail(why, why_len, -EDQUOT,
				   "guest buffer cap: %" PRIu32
				   " buffers imported, at most %" PRIu32,
				   pool->count, pool->limits.max_buffers);
	/* bytes <= max_bytes and charged <= PROTO_MAX_WINDOW_MEM + a page: no wrap. */
	if (pool->bytes + b->charged > pool->limits.max_bytes)
		return shmbuf_fail(why, why_len, -EDQUOT,
				   "guest memory cap: %" PRIu64 " bytes imported + %" PRIu64
				   " would exceed %" PRIu64 " bytes",
				   pool->bytes, b->charged, pool->limits.max_bytes);
	b->pool = pool;
	b->prev = NULL;
	b->next = pool->buffers;
	if (pool->buffers)
		pool->buffers->prev = b;
	pool->buffers = b;
	pool->bytes += b->charged;
	pool->count++;
	return 0;
}
