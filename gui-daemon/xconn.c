/* The host X connection: the screen, MIT-SHM fd passing, a GC and the atoms the daemon needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xcb/shm.h>

#include "common/log.h"
#include "gui-daemon/daemon.h"

static xcb_atom_t intern(xcb_connection_t *x, const char *name)
{
	xcb_intern_atom_reply_t *r =
		xcb_intern_atom_reply(x, xcb_intern_atom(x, 0, (uint16_t)strlen(name), name), NULL);
	xcb_atom_t a = r ? r->atom : XCB_ATOM_NONE;
	free(r);
	return a;
}

int daemon_connect_x(struct daemon *d)
{
	const char *disp = d->opts.display ? d->opts.display : getenv("DISPLAY");
	if (!disp || !*disp) {
		fprintf(stderr, "seam-gui-daemon: no X display: set DISPLAY or use --display\n");
		return -1;
	}
	int screen_no;
	/* Xvfb (21.1) can drop a client that connects just as another leaves: try a few times. */
	d->x = xcb_connect(disp, &screen_no);
	for (int tries = 1; tries < 3 && xcb_connection_has_error(d->x); tries++) {
		xcb_disconnect(d->x);
		usleep(50000);
		d->x = xcb_connect(disp, &screen_no);
	}
	if (xcb_connection_has_error(d->x)) {
		fprintf(stderr, "seam-gui-daemon: cannot connect to the X server at '%s'\n", disp);
		return -1;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(d->x));
	for (int i = 0; i < screen_no && it.rem; i++)
		xcb_screen_next(&it);
	d->screen = it.data;
	if (d->screen->root_depth != 24) {
		fprintf(stderr, "seam-gui-daemon: the host screen has depth %u; depth 24 is needed\n",
			d->screen->root_depth);
		return -1;
	}
	xcb_shm_query_version_reply_t *shm =
		xcb_shm_query_version_reply(d->x, xcb_shm_query_version(d->x), NULL);
	d->shm_fd_passing = !d->opts.no_mit_shm && shm &&
			    (shm->major_version > 1 ||
			     (shm->major_version == 1 && shm->minor_version >= 2));
	free(shm);
	if (!d->shm_fd_passing && !d->opts.no_mit_shm)
		log_warn("the host X server lacks MIT-SHM fd passing: pixels go through the X socket");
	d->gc = xcb_generate_id(d->x);
	uint32_t no_exposures = 0;
	xcb_create_gc(d->x, d->gc, d->screen->root, XCB_GC_GRAPHICS_EXPOSURES, &no_exposures);
	d->wm_protocols = intern(d->x, "WM_PROTOCOLS");
	d->wm_delete_window = intern(d->x, "WM_DELETE_WINDOW");
	xcb_flush(d->x);
	return 0;
}
