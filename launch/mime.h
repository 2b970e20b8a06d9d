/* The shared MIME-info database and the MIME applications associations, read on the host the way
 * the domain would see them (its template's /usr/share, a named domain's own home): which type a
 * file has, and which application opens it. Nothing is executed to find out. */
#ifndef SEAM_LAUNCH_MIME_H
#define SEAM_LAUNCH_MIME_H

#include <limits.h>
#include <stddef.h>

#include "launch/desktop.h"

/* Longest MIME type kept ("application/vnd...."), NUL included. */
#define MIME_TYPE_MAX 256u
/* Largest globs2, mimeapps.list or mimeinfo.cache read (Debian's are a few hundred KiB). */
#define MIME_FILE_MAX (8u * 1024u * 1024u)

/* The type of a file named base (a file name, no directory) from the template's mime/globs2 (the
 * highest weight, then the longest pattern; case-insensitive unless the pattern says cs); without
 * a match, text/plain when the first 4 KiB of fd hold no NUL and no control character other than
 * whitespace, else application/octet-stream. */
void mime_type_of(const char *base, int fd, char type[MIME_TYPE_MAX]);

/* The default application for type in domain NAME (NULL: a disposable): [Default Applications] of
 * its home's .config/mimeapps.list, then /etc/xdg's and the template's applications/mimeapps.list,
 * then the template's applications/mimeinfo.cache; the first that names an application the domain
 * has wins (text/plain's for another text/ type without one). Loads it into e, its id into id and
 * its path inside the domain into location. Returns 0, or -ENOENT with one line in why. */
int mime_default_app(const char *name, const char *type, struct desktop_entry *e,
		     char id[DESKTOP_ID_MAX], char location[PATH_MAX], char *why, size_t why_len);

#endif
