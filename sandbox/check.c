/* Preconditions of a domain, each with a one-line remedy. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xcb/xcb.h>

#include "sandbox/check.h"
#include "sandbox/proc.h"

/* Connection attempts: a refused one is retried, for the X server's race above. */
#define CONNECT_TRIES 3

static xcb_connection_t *host_x;

void check_host_display_close(void)
{
	if (host_x)
		xcb_disconnect(host_x);
	host_x = NULL;
}

int check_host_display(const char *display, unsigned *width, unsigned *height)
{
	int screen_no;
	xcb_connection_t *x = NULL;
	for (int i = 0; i < CONNECT_TRIES; i++) {
		if (x) {
			xcb_disconnect(x);
			usleep(50000);
		}
		x = xcb_connect(display, &screen_no);
		if (!xcb_connection_has_error(x))
			break;
	}
	if (xcb_connection_has_error(x)) {
		xcb_disconnect(x);
		fprintf(stderr, "seam-run: cannot connect to the X display '%s' (DISPLAY)\n",
			display);
		return -1;
	}
	xcb_screen_iterator_t it = xcb_setup_roots_iterator(xcb_get_setup(x));
	for (int i = 0; i < screen_no && it.rem; i++)
		xcb_screen_next(&it);
	if (!it.rem) {
		xcb_disconnect(x);
		fprintf(stderr, "seam-run: the X display '%s' has no screen %d\n", display,
			screen_no);
		return -1;
	}
	*width = it.data->width_in_pixels;
	*height = it.data->height_in_pixels;
	host_x = x;
	return 0;
}

int check_bwrap(char *path, size_t size)
{
	if (proc_find_in_path("bwrap", path, size) == 0)
		return 0;
	fprintf(stderr, "seam-run: bubblewrap is not installed (no bwrap in PATH): install it with "
			"'apt-get install bubblewrap'\n");
	return -1;
}

/* A number from a /proc/sys file, or -1 if there is none. */
static long sysctl_value(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long v = -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int check_userns(const char *bwrap)
{
	if (sysctl_value("/proc/sys/user/max_user_namespaces") == 0) {
		fprintf(stderr,
			"seam-run: user namespaces are disabled (user.max_user_namespaces is "
			"0) and bubblewrap needs one: enable them as root with 'sysctl -w "
			"user.max_user_namespaces=15000'\n");
		return -1;
	}
	struct stat st;
	if (geteuid() == 0 || (stat(bwrap, &st) == 0 && (st.st_mode & S_ISUID)))
		return 0;
	if (sysctl_value("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
		fprintf(stderr, "seam-run: unprivileged user namespaces are disabled "
				"(kernel.unprivileged_userns_clone is 0) and bubblewrap needs one: "
				"enable them as root with 'sysctl -w "
				"kernel.unprivileged_userns_clone=1'\n");
		return -1;
	}
	if (sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1) {
		fprintf(stderr,
			"seam-run: AppArmor forbids unprivileged user namespaces "
			"(kernel.apparmor_restrict_unprivileged_userns is 1) and bubblewrap "
			"needs one: allow them as root with 'sysctl -w "
			"kernel.apparmor_restrict_unprivileged_userns=0', or give bwrap an "
			"AppArmor profile that permits userns\n");
		return -1;
	}
	return 0;
}
