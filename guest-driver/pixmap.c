/* seam_drv's memfd pixmaps: Composite's window backing pixmaps of 32 bits per pixel get their
 * pixels in a sealed memfd (XRGB8888, stride = width * 4, exactly stride * height bytes: what the
 * daemon accepts of a SEAM_WINDOW_DUMP_FD buffer), or with SeamGrantDomain in grant pages
 * (grant.c: what it accepts of a WINDOW_DUMP), so the agent can pass the window's pixels to the
 * daemon without copying them. Every other pixmap stays as fb makes it. */
#include <xorg-server.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fb.h>
#include <privates.h>
#include <scrnintstr.h>
#include <servermd.h>
#include <xf86.h>

#include "guest-driver/seamdrv.h"
#include "protocol/proto.h"

/* The X server's private keys are process-wide by design: one per kind of private. */
static DevPrivateKeyRec seamdrv_pixmap_key;

static struct seamdrv *drv_of(ScreenPtr screen)
{
	return xf86ScreenToScrn(screen)->driverPrivate;
}

static struct seamdrv_pixmap *rec(PixmapPtr p)
{
	return dixGetPrivateAddr(&p->devPrivates, &seamdrv_pixmap_key);
}

const struct seamdrv_pixmap *seamdrv_pixmap_of(PixmapPtr p)
{
	const struct seamdrv_pixmap *r = rec(p);
	return r->size ? r : NULL;
}

static Bool wanted(int width, int height, int depth, unsigned usage)
{
	return usage == CREATE_PIXMAP_USAGE_BACKING_PIXMAP && (depth == 24 || depth == 32) &&
	       BitsPerPixel(depth) == 32 && width >= 1 && height >= 1 &&
	       (unsigned)width <= PROTO_MAX_WINDOW_WIDTH &&
	       (unsigned)height <= PROTO_MAX_WINDOW_HEIGHT;
}

/* A sealed memfd of size bytes mapped read-write at *map: its fd, or -errno. */
static int memfd_buffer(size_t size, void **map)
{
	int fd = memfd_create("seam-drv-window", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		rc = -errno;
	void *p = rc ? MAP_FAILED : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!rc && p == MAP_FAILED)
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	*map = p;
	return fd;
}

/* The agent and the daemon keep their own descriptors and mappings; granted pages stay until
 * the host has unmapped them. */
static void release(struct seamdrv *drv, struct seamdrv_pixmap *r)
{
	if (r->refs) {
		seamdrv_grant_free(drv, r);
		return;
	}
	munmap(r->map, r->size);
	close(r->fd);
}

/* fb makes the pixmap's header (0 x 0: no pixels of its own); its pixels are the memfd's. */
static PixmapPtr memfd_pixmap(ScreenPtr screen, struct seamdrv *drv, int width, int height,
			      int depth, unsigned usage)
{
	uint32_t stride = (uint32_t)width * 4u;
	size_t size = (size_t)stride * (size_t)height;
	struct seamdrv_pixmap r = {.fd = -1};
	int rc = 0;
	if (drv->grant_domid >= 0) {
		rc = seamdrv_grant_alloc(drv, size, &r);
	} else {
		rc = r.fd = memfd_buffer(size, &r.map);
		r.size = size;
	}
	if (rc < 0) {
		/* gntalloc's limit (ENOSPC) is the usual reason: the log names it. */
		LogMessageVerb(X_WARNING, 1, "seam: no %s for a %dx%d window: %s\n",
			       drv->grant_domid >= 0 ? "grant pages" : "memfd", width, height,
			       strerror(-rc));
		return NULL;
	}
	PixmapPtr p = drv->create_pixmap(screen, 0, 0, depth, usage);
	if (p && !screen->ModifyPixmapHeader(p, width, height, depth, 32, (int)stride, r.map)) {
		drv->destroy_pixmap(p);
		p = NULL;
	}
	if (!p) {
		release(drv, &r);
		return NULL;
	}
	r.serial = ++drv->serial;
	*rec(p) = r;
	drv->memfd_pixmaps++;
	return p;
}

static PixmapPtr create_pixmap(ScreenPtr screen, int width, int height, int depth, unsigned usage)
{
	struct seamdrv *drv = drv_of(screen);
	PixmapPtr p = NULL;
	if (wanted(width, height, depth, usage))
		p = memfd_pixmap(screen, drv, width, height, depth, usage);
	/* On failure the window still gets pixels: fb's (the agent then uses ShmGetImage). */
	return p ? p : drv->create_pixmap(screen, width, height, depth, usage);
}

static Bool destroy_pixmap(PixmapPtr p)
{
	struct seamdrv *drv = drv_of(p->drawable.pScreen);
	struct seamdrv_pixmap last = {.fd = -1};
	if (p->refcnt == 1 && rec(p)->size)
		last = *rec(p); /* the pixmap is freed below */
	Bool ok = drv->destroy_pixmap(p);
	if (last.size) {
		release(drv, &last);
		drv->memfd_pixmaps--;
	}
	return ok;
}

Bool seamdrv_pixmap_init(ScreenPtr screen, struct seamdrv *drv)
{
	if (!dixRegisterPrivateKey(&seamdrv_pixmap_key, PRIVATE_PIXMAP,
				   sizeof(struct seamdrv_pixmap)))
		return FALSE;
	drv->create_pixmap = screen->CreatePixmap;
	drv->destroy_pixmap = screen->DestroyPixmap;
	screen->CreatePixmap = create_pixmap;
	screen->DestroyPixmap = destroy_pixmap;
	return TRUE;
}

void seamdrv_pixmap_fini(ScreenPtr screen, struct seamdrv *drv)
{
	screen->CreatePixmap = drv->create_pixmap;
	screen->DestroyPixmap = drv->destroy_pixmap;
}
