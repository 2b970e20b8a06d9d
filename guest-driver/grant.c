/* seam_drv's Xen grant pages: with the SeamGrantDomain option, window pixmaps are pages of Xen's
 * gntalloc device granted read-only to that domain (the host's daemon), so that on a vchan
 * channel the agent sends their refs and nothing is copied in the guest. One gntalloc descriptor
 * serves every pixmap: each allocation has its own offset in it. */
#include <xorg-server.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/sys/gntalloc.h>

#include <xf86.h>

#include "guest-driver/seamdrv.h"
#include "protocol/proto.h"

#define GNTALLOC_DEVICE "/dev/xen/gntalloc"

bool seamdrv_grant_open(ScrnInfoPtr scrn, struct seamdrv *drv, int domid)
{
	int fd = open(GNTALLOC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		xf86DrvMsg(
		    scrn->scrnIndex, X_ERROR,
		    "SeamGrantDomain %d: cannot open %s: %s; window pixmaps stay in memfds\n",
		    domid, GNTALLOC_DEVICE, strerror(errno));
		return false;
	}
	drv->gntalloc_fd = fd;
	drv->grant_domid = domid;
	xf86DrvMsg(scrn->scrnIndex, X_INFO, "window pixmaps in grant pages for domain %d\n", domid);
	return true;
}

void seamdrv_grant_close(struct seamdrv *drv)
{
	if (drv->gntalloc_fd >= 0)
		close(drv->gntalloc_fd);
	drv->gntalloc_fd = -1;
	drv->grant_domid = -1;
}

int seamdrv_grant_alloc(struct seamdrv *drv, size_t size, struct seamdrv_pixmap *rec)
{
	/* At most PROTO_MAX_GRANT_REFS pages for a size pixmap.c accepted. */
	uint32_t n = (uint32_t)PROTO_NUM_PAGES(size);
	size_t arg_size = sizeof(struct ioctl_gntalloc_alloc_gref) + (size_t)n * sizeof(uint32_t);
	struct ioctl_gntalloc_alloc_gref *arg = calloc(1, arg_size);
	uint32_t *refs = malloc((size_t)n * sizeof(uint32_t));
	if (!arg || !refs) {
		free(arg);
		free(refs);
		return -ENOMEM;
	}
	/* Read-only for the host (flags 0): the daemon only reads a window's pixels. */
	arg->domid = (uint16_t)drv->grant_domid;
	arg->flags = 0;
	arg->count = n;
	int rc = ioctl(drv->gntalloc_fd, IOCTL_GNTALLOC_ALLOC_GREF, arg) < 0 ? -errno : 0;
	void *map = MAP_FAILED;
	if (!rc) {
		map = mmap(NULL, (size_t)n * PROTO_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			   drv->gntalloc_fd, (off_t)arg->index);
		if (map == MAP_FAILED) {
			rc = -errno;
			struct ioctl_gntalloc_dealloc_gref d = {arg->index, n};
			ioctl(drv->gntalloc_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
		}
	}
	if (rc) {
		free(arg);
		free(refs);
		return rc;
	}
	memcpy(refs, arg->gref_ids, (size_t)n * sizeof(uint32_t));
	*rec = (struct seamdrv_pixmap){.fd = -1,
				       .map = map,
				       .size = (size_t)n * PROTO_PAGE_SIZE,
				       .refs = refs,
				       .nrefs = n,
				       .grant_index = arg->index};
	free(arg);
	return 0;
}

void seamdrv_grant_free(struct seamdrv *drv, struct seamdrv_pixmap *rec)
{
	munmap(rec->map, rec->size);
	/* The pages go back when the host has unmapped them too: gntalloc keeps them until then. */
	struct ioctl_gntalloc_dealloc_gref d = {rec->grant_index, rec->nrefs};
	ioctl(drv->gntalloc_fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d);
	free(rec->refs);
	rec->refs = NULL;
}
