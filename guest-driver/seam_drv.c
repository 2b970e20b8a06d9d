/* seam_drv: a virtual Xorg video driver for Seam's guests. The screen is fb's, in ordinary memory
 * (no hardware); Composite's window pixmaps live in sealed memfds (pixmap.c) that seam-gui-agent
 * fetches over a unix socket (sock.c) and hands to the daemon, so the guest server draws a
 * window's pixels straight into the memory the host shows. */
#include <xorg-server.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fb.h>
#include <mipointer.h>
#include <micmap.h>
#include <opaque.h>
#include <xf86.h>
#include <xf86Modes.h>
#include <xf86Module.h>
#include <xf86Opt.h>

#include "guest-driver/seamdrv.h"
#include "protocol/drvsock.h"

#define SEAMDRV_NAME	"seam"
#define SEAMDRV_VERSION 1

enum { OPTION_SOCKET, OPTION_GRANT_DOMAIN };

static const OptionInfoRec seamdrv_options[] = {
    {OPTION_SOCKET, "SeamSocket", OPTV_STRING, {0}, FALSE},
    /* On Xen: window pixmaps in pages granted to this domain (the host's) instead of memfds. */
    {OPTION_GRANT_DOMAIN, "SeamGrantDomain", OPTV_INTEGER, {0}, FALSE},
    {-1, NULL, OPTV_NONE, {0}, FALSE},
};

static const OptionInfoRec *available_options(int chipid, int bustype)
{
	(void)chipid;
	(void)bustype;
	return seamdrv_options;
}

static void identify(int flags)
{
	(void)flags;
	xf86Msg(X_INFO, "%s: virtual screen for Seam guests, window pixmaps in memfds\n",
		SEAMDRV_NAME);
}

/* No console, no I/O ports: the server may run as a normal user. */
static Bool driver_func(ScrnInfoPtr scrn, xorgDriverFuncOp op, void *ptr)
{
	(void)scrn;
	if (op != GET_REQUIRED_HW_INTERFACES)
		return FALSE;
	*(xorgHWFlags *)ptr = HW_SKIP_CONSOLE;
	return TRUE;
}

static void free_screen(ScrnInfoPtr scrn)
{
	struct seamdrv *drv = scrn->driverPrivate;
	if (!drv)
		return;
	free(drv->options);
	free(drv);
	scrn->driverPrivate = NULL;
}

static Bool pre_init(ScrnInfoPtr scrn, int flags)
{
	if (flags & PROBE_DETECT)
		return FALSE;
	struct seamdrv *drv = calloc(1, sizeof(*drv));
	if (!drv)
		return FALSE;
	drv->listen_fd = -1;
	drv->grant_domid = -1;
	drv->gntalloc_fd = -1;
	for (unsigned i = 0; i < SEAMDRV_MAX_CLIENTS; i++)
		drv->clients[i].fd = -1; /* not 0: close_screen closes every client >= 0 */
	scrn->driverPrivate = drv;
	scrn->monitor = scrn->confScreen->monitor; /* xf86SetGamma reads it */
	rgb zeros = {0, 0, 0};
	Gamma gzeros = {0.0, 0.0, 0.0};
	if (!xf86SetDepthBpp(scrn, 24, 0, 0, Support32bppFb))
		return FALSE;
	if (scrn->depth != 24 || scrn->bitsPerPixel != 32) {
		xf86DrvMsg(scrn->scrnIndex, X_ERROR, "only depth 24 at 32 bpp (asked %d at %d)\n",
			   scrn->depth, scrn->bitsPerPixel);
		return FALSE;
	}
	xf86PrintDepthBpp(scrn);
	if (!xf86SetWeight(scrn, zeros, zeros) || !xf86SetDefaultVisual(scrn, -1) ||
	    !xf86SetGamma(scrn, gzeros))
		return FALSE;
	xf86CollectOptions(scrn, NULL);
	drv->options = malloc(sizeof(seamdrv_options));
	if (!drv->options)
		return FALSE;
	memcpy(drv->options, seamdrv_options, sizeof(seamdrv_options));
	xf86ProcessOptions(scrn->scrnIndex, scrn->options, drv->options);
	scrn->chipset = (char *)SEAMDRV_NAME;
	scrn->progClock = TRUE;
	if (!seamdrv_randr_pre_init(scrn, drv))
		return FALSE;
	scrn->currentMode = scrn->modes;
	scrn->displayWidth = scrn->virtualX;
	xf86SetDpi(scrn, 0, 0);
	return xf86LoadSubModule(scrn, "fb") != NULL;
}

/* The socket's path: the SeamSocket option, else $XDG_RUNTIME_DIR/seam-drv-<display>. Empty when
 * neither is known (the agent then falls back to ShmGetImage). */
static void socket_path(struct seamdrv *drv, char *out, size_t len)
{
	const char *opt = xf86GetOptValString(drv->options, OPTION_SOCKET);
	out[0] = '\0';
	if (opt)
		snprintf(out, len, "%s", opt);
	else if (proto_drv_socket_path(getenv("XDG_RUNTIME_DIR"), display, out, len))
		out[0] = '\0';
}

static Bool close_screen(ScreenPtr screen)
{
	ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
	struct seamdrv *drv = scrn->driverPrivate;
	seamdrv_sock_close(drv);
	seamdrv_pixmap_fini(screen, drv);
	seamdrv_grant_close(drv);
	screen->CloseScreen = drv->close_screen;
	Bool ok = screen->CloseScreen(screen);
	free(drv->fb);
	drv->fb = NULL;
	return ok;
}

static Bool save_screen(ScreenPtr screen, int mode)
{
	(void)screen;
	(void)mode;
	return TRUE;
}

/* fb's visuals take the channel layout PreInit chose. */
static void fix_visuals(ScreenPtr screen, ScrnInfoPtr scrn)
{
	for (int i = 0; i < screen->numVisuals; i++) {
		VisualPtr v = &screen->visuals[i];
		if ((v->class | DynamicClass) != DirectColor)
			continue;
		v->offsetRed = scrn->offset.red;
		v->offsetGreen = scrn->offset.green;
		v->offsetBlue = scrn->offset.blue;
		v->redMask = scrn->mask.red;
		v->greenMask = scrn->mask.green;
		v->blueMask = scrn->mask.blue;
	}
}

static Bool screen_init(ScreenPtr screen, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ScrnInfoPtr scrn = xf86ScreenToScrn(screen);
	struct seamdrv *drv = scrn->driverPrivate;
	drv->fb = calloc((size_t)scrn->displayWidth * (size_t)scrn->virtualY, 4);
	if (!drv->fb)
		return FALSE;
	miClearVisualTypes();
	if (!miSetVisualTypes(scrn->depth, miGetDefaultVisualMask(scrn->depth), scrn->rgbBits,
			      scrn->defaultVisual) ||
	    !miSetPixmapDepths() ||
	    !fbScreenInit(screen, drv->fb, scrn->virtualX, scrn->virtualY, scrn->xDpi, scrn->yDpi,
			  scrn->displayWidth, scrn->bitsPerPixel))
		return FALSE;
	fix_visuals(screen, scrn);
	if (!fbPictureInit(screen, NULL, 0))
		return FALSE;
	xf86SetBlackWhitePixels(screen);
	xf86SetBackingStore(screen);
	xf86SetSilkenMouse(screen);
	if (!miDCInitialize(screen, xf86GetPointerScreenFuncs()))
		return FALSE;
	int domid;
	if (xf86GetOptValInteger(drv->options, OPTION_GRANT_DOMAIN, &domid)) {
		if (domid < 0 || domid > (int)PROTO_DRV_MAX_DOMID) {
			xf86DrvMsg(scrn->scrnIndex, X_ERROR, "SeamGrantDomain %d is no domain\n",
				   domid);
			return FALSE;
		}
		seamdrv_grant_open(scrn, drv, domid);
	}
	if (!seamdrv_pixmap_init(screen, drv))
		return FALSE;
	screen->SaveScreen = save_screen;
	drv->close_screen = screen->CloseScreen;
	screen->CloseScreen = close_screen;
	if (!seamdrv_randr_screen_init(screen) || !miCreateDefColormap(screen))
		return FALSE;
	char path[sizeof(drv->path)];
	socket_path(drv, path, sizeof(path));
	if (path[0])
		seamdrv_sock_open(scrn, drv, path);
	else
		xf86DrvMsg(scrn->scrnIndex, X_WARNING,
			   "no SeamSocket option and no XDG_RUNTIME_DIR: no agent socket\n");
	return TRUE;
}

static Bool switch_mode(ScrnInfoPtr scrn, DisplayModePtr mode)
{
	(void)scrn;
	(void)mode;
	return TRUE;
}

static void adjust_frame(ScrnInfoPtr scrn, int x, int y)
{
	(void)scrn;
	(void)x;
	(void)y;
}

static Bool enter_vt(ScrnInfoPtr scrn)
{
	(void)scrn;
	return TRUE;
}

static void leave_vt(ScrnInfoPtr scrn)
{
	(void)scrn;
}

static ModeStatus valid_mode(ScrnInfoPtr scrn, DisplayModePtr mode, Bool verbose, int flags)
{
	(void)scrn;
	(void)mode;
	(void)verbose;
	(void)flags;
	return MODE_OK;
}

static Bool probe(DriverPtr driver, int flags)
{
	if (flags & PROBE_DETECT)
		return FALSE;
	GDevPtr *devs = NULL;
	int n = xf86MatchDevice(SEAMDRV_NAME, &devs);
	Bool found = FALSE;
	for (int i = 0; i < n; i++) {
		int entity = xf86ClaimNoSlot(driver, 0, devs[i], TRUE);
		ScrnInfoPtr scrn = xf86AllocateScreen(driver, 0);
		if (!scrn)
			break;
		xf86AddEntityToScreen(scrn, entity);
		scrn->driverVersion = SEAMDRV_VERSION;
		scrn->driverName = (char *)SEAMDRV_NAME;
		scrn->name = (char *)SEAMDRV_NAME;
		scrn->Probe = probe;
		scrn->PreInit = pre_init;
		scrn->ScreenInit = screen_init;
		scrn->SwitchMode = switch_mode;
		scrn->AdjustFrame = adjust_frame;
		scrn->EnterVT = enter_vt;
		scrn->LeaveVT = leave_vt;
		scrn->FreeScreen = free_screen;
		scrn->ValidMode = valid_mode;
		found = TRUE;
	}
	free(devs);
	return found;
}

static DriverRec seamdrv_driver = {
    .driverVersion = SEAMDRV_VERSION,
    .driverName = SEAMDRV_NAME,
    .Identify = identify,
    .Probe = probe,
    .AvailableOptions = available_options,
    .driverFunc = driver_func,
};

static void *setup(void *module, void *opts, int *errmaj, int *errmin)
{
	(void)opts;
	(void)errmin;
	/* The loader calls this once per server generation; the driver is added once. */
	if (seamdrv_driver.module) {
		if (errmaj)
			*errmaj = LDR_ONCEONLY;
		return NULL;
	}
	seamdrv_driver.module = module;
	xf86AddDriver(&seamdrv_driver, module, HaveDriverFuncs);
	return (void *)1;
}

static XF86ModuleVersionInfo seamdrv_version = {
    .modname = SEAMDRV_NAME,
    .vendor = "Seam",
    ._modinfo1_ = MODINFOSTRING1,
    ._modinfo2_ = MODINFOSTRING2,
    .xf86version = XORG_VERSION_CURRENT,
    .majorversion = 0,
    .minorversion = 1,
    .patchlevel = 0,
    .abiclass = ABI_CLASS_VIDEODRV,
    .abiversion = ABI_VIDEODRV_VERSION,
    .moduleclass = MOD_CLASS_VIDEODRV,
};

/* The one symbol the loader looks up: <module name>ModuleData. */
_X_EXPORT XF86ModuleData seamModuleData = {&seamdrv_version, setup, NULL};
