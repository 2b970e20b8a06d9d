/* Window surfaces over either transport (shm/surface.h): a memfd the X servers use, and where
 * fds cannot cross, grant pages beside it with the copy between them kept here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol/proto.h"
#include "shm/surface.h"

/* gntalloc's per-guest page limit (a module parameter; 1024 pages by default). */
#define GNTALLOC_LIMIT_PATH "/sys/module/xen_gntalloc/parameters/limit"

struct shm_surface {
	/* Guest: the memfd X writes. Host: the imported buffer (memfd or mapped grants). */
	struct shmbuf *pixels;
	/* Guest on vchan: the grant pages the host reads. Host with grants: the staging memfd the
	 * host X server reads. NULL otherwise. */
	struct shmbuf *mirror;
	bool host;
};

static bool clip(const struct shm_surface *s, uint32_t *x, uint32_t *y, uint32_t *w, uint32_t *h)
{
	uint32_t sw = shmbuf_width(s->pixels), sh = shmbuf_height(s->pixels);
	if (*x >= sw || *y >= sh)
		return false;
	if (*w > sw - *x)
		*w = sw - *x;
	if (*h > sh - *y)
		*h = sh - *y;
	return *w && *h;
}

static void copy_rows(const struct shmbuf *from, struct shmbuf *to, uint32_t x, uint32_t y,
		      uint32_t w, uint32_t h)
{
	const uint8_t *src = shmbuf_data(from);
	uint8_t *dst = shmbuf_data(to);
	size_t stride = shmbuf_stride(from);
	size_t off = (size_t)y * stride + (size_t)x * 4u;
	for (uint32_t r = 0; r < h; r++, off += stride)
		memcpy(dst + off, src + off, (size_t)w * 4u);
}

static void grant_limit_reason(uint32_t width, uint32_t height, char *why, size_t why_len)
{
	snprintf(why, why_len,
		 "cannot grant a %ux%u window buffer (%llu pages): gntalloc's limit is reached; "
		 "raise it, e.g. echo 65536 > " GNTALLOC_LIMIT_PATH
		 " (or load xen-gntalloc with limit=65536)",
		 width, height, (unsigned long long)PROTO_NUM_PAGES((uint64_t)width * height * 4u));
}

int shm_surface_create(const struct chan *c, uint32_t width, uint32_t height,
		       struct shm_surface **out, char *why, size_t why_len)
{
	*out = NULL;
	struct shm_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	int rc = shmbuf_create(SHMBUF_MEMFD, width, height, 0, &s->pixels);
	if (rc) {
		snprintf(why, why_len, "cannot create a %ux%u window buffer: %s", width, height,
			 strerror(-rc));
		free(s);
		return rc;
	}
	if (!chan_can_pass_fds(c)) {
		rc = shmbuf_create(SHMBUF_GRANT, width, height, chan_peer_domid(c), &s->mirror);
		if (rc) {
			if (rc == -ENOSPC)
				grant_limit_reason(width, height, why, why_len);
			else
				snprintf(why, why_len, "cannot grant a %ux%u window buffer: %s",
					 width, height, strerror(-rc));
			shm_surface_destroy(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

int shm_surface_adopt(const struct chan *c, int fd, uint32_t width, uint32_t height,
		      uint32_t stride, struct shm_surface **out, char *why, size_t why_len)
{
	*out = NULL;
	if (!chan_can_pass_fds(c)) {
		close(fd);
		snprintf(why, why_len, "the channel cannot pass the driver's memfd");
		return -EOPNOTSUPP;
	}
	struct shm_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	char reason[192];
	int rc = shmbuf_adopt_memfd(fd, width, height, stride, &s->pixels, reason, sizeof(reason));
	if (rc) {
		snprintf(why, why_len, "the driver's %ux%u memfd: %s", width, height, reason);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int shm_surface_adopt_grants(const struct chan *c, uint32_t domid, const uint32_t *refs,
			     uint32_t nrefs, uint32_t width, uint32_t height,
			     struct shm_surface **out, char *why, size_t why_len)
{
	*out = NULL;
	if (chan_can_pass_fds(c)) {
		snprintf(why, why_len, "the channel passes memfds, not the driver's grant pages");
		return -EOPNOTSUPP;
	}
	if (domid != chan_peer_domid(c)) {
		snprintf(why, why_len,
			 "the driver grants its pages to domain %u, the channel's peer is %u "
			 "(SeamGrantDomain)",
			 domid, chan_peer_domid(c));
		return -EPERM;
	}
	struct shm_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	char reason[192];
	int rc =
	    shmbuf_adopt_grants(refs, nrefs, width, height, &s->pixels, reason, sizeof(reason));
	if (rc) {
		snprintf(why, why_len, "the driver's %ux%u grant pages: %s", width, height, reason);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void shm_surface_export(const struct shm_surface *s, struct shmbuf_export *out)
{
	shmbuf_export(s->mirror ? s->mirror : s->pixels, out);
}

void shm_surface_commit(struct shm_surface *s, uint32_t x, uint32_t y, uint32_t width,
			uint32_t height)
{
	if (!s->mirror || s->host || !clip(s, &x, &y, &width, &height))
		return;
	copy_rows(s->pixels, s->mirror, x, y, width, height);
}

int shm_surface_capacity_advice(const struct chan *c, uint32_t width, uint32_t height, char *why,
				size_t why_len)
{
	if (chan_can_pass_fds(c))
		return 0;
	FILE *f = fopen(GNTALLOC_LIMIT_PATH, "r");
	if (!f)
		return 0; /* not loaded yet, or not readable: the first buffer will tell */
	long limit = -1;
	if (fscanf(f, "%ld", &limit) != 1)
		limit = -1;
	fclose(f);
	uint64_t need = PROTO_NUM_PAGES((uint64_t)width * height * 4u);
	if (limit < 0 || (uint64_t)limit >= need)
		return 0;
	snprintf(why, why_len,
		 "gntalloc's limit is %ld pages, less than one %ux%u window needs (%llu pages) and "
		 "shared by every window: raise it, e.g. echo 65536 > " GNTALLOC_LIMIT_PATH,
		 limit, width, height, (unsigned long long)need);
	return 1;
}

int shm_surface_import(struct shmbuf_pool *pool, const struct shmbuf_export *offer,
		       struct shm_surface **out, char *why, size_t why_len)
{
	*out = NULL;
	struct shm_surface *s = calloc(1, sizeof(*s));
	if (!s) {
		if (offer->kind == SHMBUF_MEMFD && offer->fd >= 0)
			close(offer->fd);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	s->host = true;
	int rc;
	if (offer->kind == SHMBUF_MEMFD) {
		rc = shmbuf_import_memfd(pool, offer->fd, offer->width, offer->height,
					 offer->stride, &s->pixels, why, why_len);
		if (rc) {
			free(s);
			return rc;
		}
		*out = s;
		return 0;
	}
	if (offer->kind != SHMBUF_GRANT) {
		free(s);
		snprintf(why, why_len, "unknown buffer kind %d", (int)offer->kind);
		return -EINVAL;
	}
	rc = shmbuf_import_grants(pool, offer->refs, offer->nrefs, offer->width, offer->height,
				  &s->pixels, why, why_len);
	if (rc) {
		free(s);
		return rc;
	}
	rc = shmbuf_map(s->pixels);
	if (rc) {
		snprintf(why, why_len, "cannot map the guest's grants: %s", strerror(-rc));
		shm_surface_destroy(s);
		return rc;
	}
	/* The host X server cannot take grant pages as an fd: damaged rows are copied here. */
	rc = shmbuf_create(SHMBUF_MEMFD, offer->width, offer->height, 0, &s->mirror);
	if (rc) {
		snprintf(why, why_len, "cannot create a staging buffer: %s", strerror(-rc));
		shm_surface_destroy(s);
		return rc;
	}
	*out = s;
	return 0;
}

void shm_surface_sync(struct shm_surface *s, uint32_t x, uint32_t y, uint32_t width,
		      uint32_t height)
{
	if (!s->mirror || !s->host || !clip(s, &x, &y, &width, &height))
		return;
	copy_rows(s->pixels, s->mirror, x, y, width, height);
}

const uint8_t *shm_surface_pixels(struct shm_surface *s)
{
	if (s->host && s->mirror)
		return shmbuf_data(s->mirror);
	if (!shmbuf_data(s->pixels) && shmbuf_map(s->pixels))
		return NULL;
	return shmbuf_data(s->pixels);
}

int shm_surface_fd(const struct shm_surface *s)
{
	return s->host && s->mirror ? shmbuf_fd(s->mirror) : shmbuf_fd(s->pixels);
}

uint32_t shm_surface_width(const struct shm_surface *s)
{
	return shmbuf_width(s->pixels);
}

uint32_t shm_surface_height(const struct shm_surface *s)
{
	return shmbuf_height(s->pixels);
}

uint32_t shm_surface_stride(const struct shm_surface *s)
{
	return shmbuf_stride(s->pixels);
}

void shm_surface_destroy(struct shm_surface *s)
{
	if (!s)
		return;
	shmbuf_release(s->mirror);
	shmbuf_release(s->pixels);
	free(s);
}
