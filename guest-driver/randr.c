/* seam_drv's RandR 1.2: SEAMDRV_OUTPUTS virtual outputs, each on its own CRTC, and a screen that
 * RRSetScreenSize grows and shrinks by giving the screen pixmap new memory. Nothing is scanned
 * out: a CRTC only records its mode and place, which RandR reports to clients (GTK 3 lists
 * monitors only from lit, connected outputs). The agent lights one output per host monitor
 * (gui-agent/screen.c). */
#include <xorg-server.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <fb.h>
#include <randrstr.h>
#include <xf86.h>
#include <xf86Crtc.h>
#include <xf86Modes.h>

#include "guest-driver/seamdrv.h"

/* A size RandR may ask for: fb's limit, and what the agent can be told (protocol/proto.h). */
#define SEAMDRV_MIN_SIZE 8

static void crtc_dpms(xf86CrtcPtr crtc, int mode)
{
	(void)crtc;
	(void)mode;
}

static void crtc_gamma_set(xf86CrtcPtr crtc, CARD16 *r, CARD16 *g, CARD16 *b, int size)
{
	(void)crtc;
	(void)r;
	(void)g;
	(void)b;
	(void)size;
}

/* The whole mode change at once: record it (xf86 keeps crtc->mode, x, y from what it passes). */
static Bool crtc_set_mode_major(xf86CrtcPtr crtc, DisplayModePtr mode, Rotation rotation, int x,
				int y)
{
	crtc->mode = *mode;
	crtc->rotation = rotation;
	crtc->x = x;
	crtc->y = y;
	/* Its outputs are plugged in now: RandR keeps an output's connection from the last probe,
	 * and GTK 3 skips a monitor whose output says it is not. */
	xf86CrtcConfigPtr config = XF86_CRTC_CONFIG_PTR(crtc->scrn);
	for (int i = 0; i < config->num_output; i++) {
		xf86OutputPtr out = config->output[i];
		if (out->crtc != crtc || out->status == XF86OutputStatusConnected)
			continue;
		out->status = XF86OutputStatusConnected;
		if (out->randr_output)
			RROutputSetConnection(out->randr_output, RR_Connected);
	}
	return TRUE;
}

static void crtc_destroy(xf86CrtcPtr crtc)
{
	(void)crtc;
}

static const xf86CrtcFuncsRec crtc_funcs = {
    .dpms = crtc_dpms,
    .gamma_set = crtc_gamma_set,
    .set_mode_major = crtc_set_mode_major,
    .destroy = crtc_destroy,
};

static void output_dpms(xf86OutputPtr output, int mode)
{
	(void)output;
	(void)mode;
}

static int output_mode_valid(xf86OutputPtr output, DisplayModePtr mode)
{
	(void)output;
	return mode->HDisplay <= SEAMDRV_MAX_SIZE && mode->VDisplay <= SEAMDRV_MAX_SIZE ? MODE_OK
											: MODE_BAD;
}

/* The first output is plugged in, and every output the agent has lit since the last probe (a
 * probe of an unplugged output would give it Xorg's built-in modes and light it at start-up). */
static xf86OutputStatus output_detect(xf86OutputPtr output)
{
	bool lit = output->crtc && output->crtc->enabled;
	return output == XF86_CRTC_CONFIG_PTR(output->scrn)->output[0] || lit
		   ? XF86OutputStatusConnected
		   : XF86OutputStatusDisconnected;
}

/* The first output offers the first size (the config's Virtual, else the default); the others
 * take the modes the agent adds (RRAddOutputMode). */
static DisplayModePtr output_get_modes(xf86OutputPtr output)
{
	struct seamdrv *drv = output->driver_private;
	if (output != XF86_CRTC_CONFIG_PTR(output->scrn)->output[0])
		return NULL;
	DisplayModePtr m = xf86CVTMode(drv->first_width, drv->first_height, 60.0f, FALSE, FALSE);
	if (!m)
		return NULL;
	m->type = M_T_DRIVER | M_T_PREFERRED;
	xf86SetModeDefaultName(m); /* libxcvt's modes have none; RandR lists modes by name */
	return m;
}

static void output_destroy(xf86OutputPtr output)
{
	(void)output;
}

static const xf86OutputFuncsRec output_funcs = {
    .dpms = output_dpms,
    .mode_valid = output_mode_valid,
    .detect = output_detect,
    .get_modes = output_get_modes,
    .destroy = output_destroy,
};

/* RRSetScreenSize: the screen pixmap gets zeroed memory of the new size (the root window is
 * repainted; Composite's window pixmaps are not the screen's and stay as they are). */
static Bool config_resize(ScrnInfoPtr scrn, int width, int height)
{
	struct seamdrv *drv = scrn->driverPrivate;
	if (width == scrn->virtualX && height == scrn->virtualY)
		return TRUE;
	if (width < SEAMDRV_MIN_SIZE || height < SEAMDRV_MIN_SIZE || width > SEAMDRV_MAX_SIZE ||
	    height > SEAMDRV_MAX_SIZE)
		return FALSE;
	ScreenPtr screen = xf86ScrnToScreen(scrn);
	void *fb = calloc((size_t)width * (size_t)height, 4);
	if (!fb) {
		xf86DrvMsg(scrn->scrnIndex, X_ERROR, "no memory for a %dx%d screen\n", width,
			   height);
		return FALSE;
	}
	PixmapPtr root = screen->GetScreenPixmap(screen);
	if (!screen->ModifyPixmapHeader(root, width, height, -1, -1, width * 4, fb)) {
		free(fb);
		return FALSE;
	}
	free(drv->fb);
	drv->fb = fb;
	scrn->virtualX = scrn->displayWidth = width;
	scrn->virtualY = height;
	xf86DrvMsg(scrn->scrnIndex, X_INFO, "screen resized to %dx%d\n", width, height);
	return TRUE;
}

static const xf86CrtcConfigFuncsRec config_funcs = {
    .resize = config_resize,
};

Bool seamdrv_randr_pre_init(ScrnInfoPtr scrn, struct seamdrv *drv)
{
	drv->first_width =
	    scrn->display->virtualX > 0 ? scrn->display->virtualX : SEAMDRV_DEFAULT_WIDTH;
	drv->first_height =
	    scrn->display->virtualY > 0 ? scrn->display->virtualY : SEAMDRV_DEFAULT_HEIGHT;
	if (drv->first_width > SEAMDRV_MAX_SIZE || drv->first_height > SEAMDRV_MAX_SIZE) {
		xf86DrvMsg(scrn->scrnIndex, X_ERROR, "Virtual %dx%d is larger than %d\n",
			   drv->first_width, drv->first_height, SEAMDRV_MAX_SIZE);
		return FALSE;
	}
	xf86CrtcConfigInit(scrn, &config_funcs);
	xf86CrtcSetSizeRange(scrn, SEAMDRV_MIN_SIZE, SEAMDRV_MIN_SIZE, SEAMDRV_MAX_SIZE,
			     SEAMDRV_MAX_SIZE);
	for (unsigned i = 0; i < SEAMDRV_OUTPUTS; i++) {
		char name[16];
		snprintf(name, sizeof(name), "Virtual-%u", i);
		xf86CrtcPtr crtc = xf86CrtcCreate(scrn, &crtc_funcs);
		xf86OutputPtr out = xf86OutputCreate(scrn, &output_funcs, name);
		if (!crtc || !out)
			return FALSE;
		crtc->driver_private = drv;
		out->driver_private = drv;
		out->possible_crtcs = 1u << i;
		out->possible_clones = 0;
		out->mm_width = (int)(drv->first_width * 254L / 960);
		out->mm_height = (int)(drv->first_height * 254L / 960);
	}
	if (!xf86InitialConfiguration(scrn, TRUE)) {
		xf86DrvMsg(scrn->scrnIndex, X_ERROR, "no initial configuration\n");
		return FALSE;
	}
	return scrn->modes != NULL;
}

Bool seamdrv_randr_screen_init(ScreenPtr screen)
{
	ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
	return xf86CrtcScreenInit(screen) && xf86SetDesiredModes(scrn);
}
