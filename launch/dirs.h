/* Where seam-menu and seam-open look and write: the domain's view of applications (its template,
 * the host's /usr/share, and a named domain's own home), and the user's XDG directories on the
 * host where menu entries, menus and icons go. */
#ifndef SEAM_LAUNCH_DIRS_H
#define SEAM_LAUNCH_DIRS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "launch/desktop.h"

/* Most template data directories used. */
#define DIRS_TEMPLATE_MAX 8

/* The data directories every domain sees from the host (its template): SEAM_LAUNCH_DATA_DIRS
 * (colon-separated absolute paths; for tests and unusual hosts), else /usr/local/share and
 * /usr/share. Writes up to DIRS_TEMPLATE_MAX pointers into dirs, into storage buf (PATH_MAX * 2
 * bytes). Returns how many. */
int dirs_template(const char *dirs[DIRS_TEMPLATE_MAX], char buf[PATH_MAX * 2]);

/* Opens (read-only, close-on-exec) a file below a named domain's home, home_rel relative to it,
 * never following a symlink nor leaving the home: the domain owns everything there. name may be
 * NULL (a disposable: nothing). Returns an fd or -errno. */
int dirs_open_in_home(const char *name, const char *home_rel);

/* Opens the desktop file id as the domain NAME sees it (NULL: a disposable): its home's
 * .local/share/applications first, then the template's applications/ directories. Loads it into
 * e; location gets its path as the domain sees it. Returns 0, -ENOENT when no domain directory
 * holds it (or it is Hidden), or -errno with one line in why. */
int dirs_find_desktop(const char *name, const char *id, struct desktop_entry *e,
		      char location[PATH_MAX], char *why, size_t why_len);

/* ${XDG_DATA_HOME:-~/.local/share}/rel and ${XDG_CONFIG_HOME:-~/.config}/rel into buf. Return 0 or
 * -ENAMETOOLONG. */
int dirs_data_home(const char *rel, char buf[PATH_MAX]);
int dirs_config_home(const char *rel, char buf[PATH_MAX]);

/* Writes len bytes to path through a temporary file renamed over it (a menu never reads half a
 * file), mode 0644; the directory is created. Returns 0 or -errno. */
int dirs_write_file(const char *path, const void *data, size_t len);

/* Makes link a symlink to target, replacing what link was (its directory is created). Returns 0 or
 * -errno. */
int dirs_link(const char *target, const char *link);

/* Reads the regular file fd refers to, at most max bytes, into *buf (malloc'd, NUL-terminated;
 * the caller frees it). Returns 0, -EFBIG past max, or -errno. The caller keeps fd. */
int dirs_read_all(int fd, size_t max, char **buf, size_t *len);

/* Reads (dirs_read_all) and parses (desktop_parse) a .desktop file; the caller keeps fd. Returns 0
 * or -errno with one line in why. */
int dirs_load_desktop(int fd, struct desktop_entry *e, char *why, size_t why_len);

/* PROG in this program's own directory (seam-run beside seam-menu): the build tree works as
 * installed copies do. Returns 0 or -errno. */
int dirs_beside_self(const char *prog, char buf[PATH_MAX]);

/* The directory of path (everything before its last '/') into buf. Returns 0 or -ENAMETOOLONG. */
int dirs_parent(const char *path, char buf[PATH_MAX]);

#endif
