/* The agent's X connection (gui-agent/xctx.h): connection, extensions, atoms, own window. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xcb/composite.h>
#include <xcb/damage.h>
#include <xcb/shm.h>
#include <xcb/xfixes.h>
#include <xcb/xtest.h>

#include "common/xconn.h"
#include "gui-agent/xctx.h"

/* Same order as enum xctx_atom. */
static const char *const atom_names[XCTX_ATOM_COUNT] = {
    "WM_PROTOCOLS",
    "WM_DELETE_WINDOW",
    "WM_TAKE_FOCUS",
    "WM_STATE",
    "WM_CHANGE_STATE",
    "UTF8_STRING",
    "_NET_WM_NAME",
    "_NET_SUPPORTED",
    "_NET_SUPPORTING_WM_CHECK",
    "_NET_ACTIVE_WINDOW",
    "_NET_WM_STATE",
    "_NET_WM_STATE_FULLSCREEN",
    "_NET_WM_STATE_DEMANDS_ATTENTION",
    "_NET_WM_WINDOW_TYPE",
    "_NET_WM_ICON",
    "CLIPBOARD",
    "TARGETS",
    "TEXT",
    "INCR",
    "SEAM_SELECTION",
};

/* Connection attempts 50 ms apart: a guest X server started just before the agent may drop a
 * client that connects while another leaves. */
#define XCTX_CONNECT_TRIES 10u

/* Each extension the agent needs, with the version it asks for. */
static int check_extensions(struct xctx *xc, char *why, size_t why_len)
{
	xcb_connection_t *x = xc->x;
	xcb_extension_t *exts[] = {&xcb_composite_id, &xcb_damage_id, &xcb_xfixes_id, &xcb_shm_id,
				   &xcb_test_id};
	const char *names[] = {"Composite", "DAMAGE", "XFIXES", "MIT-SHM", "XTEST"};
	const unsigned n = sizeof(exts) / sizeof(exts[0]);
	for (unsigned i = 0; i < n; i++)
		xcb_prefetch_extension_data(x, exts[i]);
	for (unsigned i = 0; i < n; i++) {
		const xcb_query_extension_reply_t *e = xcb_get_extension_data(x, exts[i]);
		if (!e) {
			snprintf(why, why_len,
				 "the connection to the X server on %s broke (xcb error %d) while "
				 "asking for the %s extension",
				 xc->display, xcb_connection_has_error(x), names[i]);
			return -EIO;
		}
		if (!e->present) {
			snprintf(why, why_len, "the X server on %s lacks the %s extension",
				 xc->display, names[i]);
			return -ENOTSUP;
		}
	}
	xc->damage_event = xcb_get_extension_data(x, &xcb_damage_id)->first_event;
	xc->xfixes_event = xcb_get_extension_data(x, &xcb_xfixes_id)->first_event;
	xc->shm_opcode = xcb_get_extension_data(x, &xcb_shm_id)->major_opcode;

	/* Damage and XFixes need the version handshake before use; the others are checked for the
	 * requests the agent makes: NameWindowPixmap (Composite 0.2), cursor names (XFixes 2),
	 * AttachFd (MIT-SHM 1.2). */
	xcb_composite_query_version_reply_t *cv =
	    xcb_composite_query_version_reply(x, xcb_composite_query_version(x, 0, 4), NULL);
	xcb_damage_query_version_reply_t *dv =
	    xcb_damage_query_version_reply(x, xcb_damage_query_version(x, 1, 1), NULL);
	xcb_xfixes_query_version_reply_t *fv =
	    xcb_xfixes_query_version_reply(x, xcb_xfixes_query_version(x, 5, 0), NULL);
	xcb_shm_query_version_reply_t *sv =
	    xcb_shm_query_version_reply(x, xcb_shm_query_version(x), NULL);
	xcb_test_get_version_reply_t *tv =
	    xcb_test_get_version_reply(x, xcb_test_get_version(x, 2, 2), NULL);
	const char *missing = NULL;
	if (!cv || (cv->major_version == 0 && cv->minor_version < 2))
		missing = "Composite 0.2 (NameWindowPixmap)";
	else if (!dv || dv->major_version < 1)
		missing = "DAMAGE 1.0";
	else if (!fv || fv->major_version < 2)
		missing = "XFIXES 2.0 (cursor names)";
	else if (!sv || sv->major_version < 1 || (sv->major_version == 1 && sv->minor_version < 2))
		missing = "MIT-SHM 1.2 (fd passing)";
	else if (!tv)
		missing = "XTEST";
	free(cv);
	free(dv);
	free(fv);
	free(sv);
	free(tv);
	if (missing) {
		snprintf(why, why_len, "the X server on %s lacks %s", xc->display, missing);
		return -ENOTSUP;
	}
	return 0;
}

int xctx_open(const char *display, struct xctx **out, char *why, size_t why_len)
{
	*out = NULL;
	struct xctx *xc = calloc(1, sizeof(*xc));
	if (!xc) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	const char *name = display && *display ? display : getenv("DISPLAY");
	snprintf(xc->display, sizeof(xc->display), "%s", name ? name : "(no DISPLAY set)");
	int rc = xconn_open(display, XCTX_CONNECT_TRIES, &xc->x, &xc->screen, why, why_len);
	if (rc) {
		free(xc);
		return rc;
	}
	xc->root = xc->screen->root;
	rc = check_extensions(xc, why, why_len);
	if (!rc && xconn_intern_atoms(xc->x, atom_names, XCTX_ATOM_COUNT, xc->atoms)) {
		snprintf(why, why_len, "interning atoms failed: the X connection broke");
		rc = -EIO;
	}
	if (rc) {
		xctx_close(xc);
		return rc;
	}
	xc->stub = xcb_generate_id(xc->x);
	uint32_t ovr = 1;
	xcb_create_window(xc->x, 0, xc->stub, xc->root, -1, -1, 1, 1, 0,
			  XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT,
			  XCB_CW_OVERRIDE_REDIRECT, &ovr);
	*out = xc;
	return 0;
}

void xctx_close(struct xctx *xc)
{
	if (!xc)
		return;
	if (xc->x)
		xcb_disconnect(xc->x);
	free(xc);
}
