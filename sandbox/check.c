/* Preconditions of a domain, each with a one-line remedy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xconn.h"
#include "sandbox/check.h"
#include "sandbox/proc.h"

/* Connection attempts: a refused one is retried, for the X server's race (check.h). */
#define CONNECT_TRIES 3

int check_host_display(const char *display, xcb_connection_t **x, unsigned *width, unsigned *height,
		       char *why, size_t why_len)
{
	xcb_screen_t *screen;
	int rc = xconn_open(display, CONNECT_TRIES, x, &screen, why, why_len);
	if (rc == -ECONNREFUSED) {
		size_t n = strlen(why);
		snprintf(why + n, why_len - n, " (DISPLAY)");
	}
	if (rc)
		return rc;
	*width = screen->width_in_pixels;
	*height = screen->height_in_pixels;
	return 0;
}

int check_bwrap(char *path, size_t size, char *why, size_t why_len)
{
	int rc = proc_find_in_path("bwrap", path, size);
	if (rc)
		snprintf(why, why_len,
			 "bubblewrap is not installed (no bwrap in PATH): install it "
			 "with 'apt-get install bubblewrap'");
	return rc;
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

int check_userns(const char *bwrap, char *why, size_t why_len)
{
	if (sysctl_value("/proc/sys/user/max_user_namespaces") == 0) {
		snprintf(why, why_len,
			 "user namespaces are disabled (user.max_user_namespaces is 0) and "
			 "bubblewrap needs one: enable them as root with 'sysctl -w "
			 "user.max_user_namespaces=15000'");
		return -EPERM;
	}
	/* Root too: root's domains are set up by an unprivileged bwrap (bwrap.h). */
	struct stat st;
	if (stat(bwrap, &st) == 0 && (st.st_mode & S_ISUID))
		return 0;
	if (sysctl_value("/proc/sys/kernel/unprivileged_userns_clone") == 0) {
		snprintf(why, why_len,
			 "unprivileged user namespaces are disabled "
			 "(kernel.unprivileged_userns_clone is 0) and bubblewrap needs one: enable "
			 "them as root with 'sysctl -w kernel.unprivileged_userns_clone=1'");
		return -EPERM;
	}
	if (sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1) {
		snprintf(why, why_len,
			 "AppArmor forbids unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns is 1) and bubblewrap needs "
			 "one: allow them as root with 'sysctl -w "
			 "kernel.apparmor_restrict_unprivileged_userns=0', or give bwrap an "
			 "AppArmor profile that permits userns");
		return -EPERM;
	}
	return 0;
}
