/* seam_drv's private header: the screen's state, shared by the driver's files (the xf86 glue in
 * seam_drv.c, RandR in randr.c, the memfd pixmaps in pixmap.c, the agent's socket in sock.c).
 * Include after the X server's headers. */
#ifndef SEAM_GUEST_DRIVER_SEAMDRV_H
#define SEAM_GUEST_DRIVER_SEAMDRV_H

#include <stdint.h>

/* Agents connected at once: the agent and a restarting one, with room to spare. */
#define SEAMDRV_MAX_CLIENTS 4
/* The first screen without a Virtual line in the config, and the largest RandR may make. */
#define SEAMDRV_DEFAULT_WIDTH  1920
#define SEAMDRV_DEFAULT_HEIGHT 1080
#define SEAMDRV_MAX_SIZE       16384
/* RandR outputs, one CRTC each: a monitor of the host's each (protocol: PROTO_MONITORS_MAX). */
#define SEAMDRV_OUTPUTS 16

struct seamdrv_client {
	int fd; /* -1: free slot */
	uint8_t buf[8];
	unsigned len; /* bytes of the current request read so far */
};

/* One screen's driver state (ScrnInfoRec.driverPrivate). */
struct seamdrv {
	OptionInfoPtr options;
	void *fb; /* the screen pixmap's pixels (fb's own memory, never shared) */
	int first_width, first_height; /* the first screen's size (randr.c) */
	CloseScreenProcPtr close_screen;
	CreatePixmapProcPtr create_pixmap;
	DestroyPixmapProcPtr destroy_pixmap;
	uint64_t serial; /* the last memfd pixmap's serial */
	unsigned memfd_pixmaps;
	int listen_fd; /* -1: no socket */
	char path[108];
	struct seamdrv_client clients[SEAMDRV_MAX_CLIENTS];
};

/* A memfd pixmap's record (a pixmap private; size 0 for every other pixmap). */
struct seamdrv_pixmap {
	int fd;
	void *map;
	size_t size;
	uint64_t serial;
};

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
