/* seam_drv's private header: the screen's state, shared by the driver's files (the xf86 glue in
 * seam_drv.c, RandR in randr.c, the memfd pixmaps in pixmap.c, the agent's socket in sock.c).
 * Include after the X server's headers. */
#ifndef SEAM_GUEST_DRIVER_SEAMDRV_H
#define SEAM_GUEST_DRIVER_SEAMDRV_H

#include <stdbool.h>
#include <stdint.h>

/* Agents connected at once: the agent and a restarting one, with room to spare. */
#define SEAMDRV_MAX_CLIENTS 4
/* The first screen without a Virtual line in the config, and the largest RandR may make. */
#define SEAMDRV_DEFAULT_WIDTH  1920
#define SEAMDRV_DEFAULT_HEIGHT 1080
#define SEAMDRV_MAX_SIZE       16384
/* RandR outputs, one CRTC each: a monitor of the host's each (protocol: PROTO_MONITORS_MAX). */
#define SEAMDRV_OUTPUTS 16

struct seamdrv;

struct seamdrv_client {
	int fd; /* -1: free slot */
	struct seamdrv *drv;
	uint8_t buf[8];
	unsigned len; /* bytes of the current request read so far */
	/* A reply the socket could not take at once (a long list of grant refs): the rest goes
	 * out when it is writable, and no request is read meanwhile. */
	uint8_t *out;
	size_t out_len, out_off;
};

/* One screen's driver state (ScrnInfoRec.driverPrivate). */
struct seamdrv {
	OptionInfoPtr options;
	void *fb; /* the screen pixmap's pixels (fb's own memory, never shared) */
	int first_width, first_height; /* the first screen's size (randr.c) */
	CloseScreenProcPtr close_screen;
	CreatePixmapProcPtr create_pixmap;
	DestroyPixmapProcPtr destroy_pixmap;
	uint64_t serial;	/* the last memfd pixmap's serial */
	unsigned memfd_pixmaps; /* memfd and grant pixmaps alive */
	int grant_domid;	/* SeamGrantDomain: the domain grant pixmaps go to; -1: memfds */
	int gntalloc_fd;	/* -1 without SeamGrantDomain */
	int listen_fd;		/* -1: no socket */
	char path[108];
	struct seamdrv_client clients[SEAMDRV_MAX_CLIENTS];
};

/* A memfd or grant pixmap's record (a pixmap private; size 0 for every other pixmap). */
struct seamdrv_pixmap {
	int fd; /* the memfd; -1 for grant pages */
	void *map;
	size_t size; /* of the mapping */
	uint64_t serial;
	uint32_t *refs; /* grant pages: their refs in page order, and gntalloc's offset */
	uint32_t nrefs;
	uint64_t grant_index;
};

/* grant.c: gntalloc pages granted read-only to SeamGrantDomain. open: false (logged) if the
 * device cannot be opened; alloc: the pages for size bytes, mapped read-write, into *rec (fd -1,
 * serial left to the caller), or -errno; free: unmap and give back what alloc made. */
bool seamdrv_grant_open(ScrnInfoPtr scrn, struct seamdrv *drv, int domid);
void seamdrv_grant_close(struct seamdrv *drv);
int seamdrv_grant_alloc(struct seamdrv *drv, size_t size, struct seamdrv_pixmap *rec);
void seamdrv_grant_free(struct seamdrv *drv, struct seamdrv_pixmap *rec);

/* pixmap.c: wrap the screen's CreatePixmap/DestroyPixmap (after fbScreenInit). FALSE if the
 * private key cannot be registered. */
Bool seamdrv_pixmap_init(ScreenPtr screen, struct seamdrv *drv);
void seamdrv_pixmap_fini(ScreenPtr screen, struct seamdrv *drv);
/* The memfd record of p, or NULL if p's pixels are fb's own. */
const struct seamdrv_pixmap *seamdrv_pixmap_of(PixmapPtr p);

/* randr.c: the outputs, CRTCs and the first configuration (from pre-init; FALSE logs why), and
 * RandR's screen resources (from screen-init, after fbScreenInit). */
Bool seamdrv_randr_pre_init(ScrnInfoPtr scrn, struct seamdrv *drv);
Bool seamdrv_randr_screen_init(ScreenPtr screen);

/* sock.c: listen on path (a unix socket, mode 0600; an existing socket there is replaced) and
 * serve it from the server's main loop. Logs why and leaves listen_fd -1 on failure. drv's
 * listen_fd and clients' fds start at -1 (pre-init sets them). */
void seamdrv_sock_open(ScrnInfoPtr scrn, struct seamdrv *drv, const char *path);
void seamdrv_sock_close(struct seamdrv *drv);

#endif
