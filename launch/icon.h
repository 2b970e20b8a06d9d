/* Menu icons: an application's PNG icon found in the domain's icon theme directories, tinted in
 * the domain's label color with window-decor's tint, written as PNG. SVG icons are not rasterised
 * (no SVG library is a dependency of Seam): an application with only an SVG icon gets the
 * domain's plain label-colored square instead. */
#ifndef SEAM_LAUNCH_ICON_H
#define SEAM_LAUNCH_ICON_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* Largest icon read, per side: the hicolor theme's largest usual size is 512. */
#define ICON_SIDE_MAX 1024u
/* The theme sizes looked for, and written into hicolor/<S>x<S>/apps. */
#define ICON_SIZES_N 9
extern const unsigned icon_sizes[ICON_SIZES_N];

/* ARGB pixels, not premultiplied, row by row (as _NET_WM_ICON and decor_tint_pixels have them). */
struct icon_image {
	unsigned w, h;
	uint32_t *argb; /* malloc'd, w * h; icon_free releases */
};

/* Finds ICON (a theme name or an absolute .png path inside a template directory) as a PNG of side
 * size in the template's hicolor theme (size 0: the template's pixmaps/ directory). Writes its path
 * and returns 0, or -ENOENT. */
int icon_find(const char *icon, unsigned size, char path[PATH_MAX]);

/* Reads a PNG (at most ICON_SIDE_MAX per side). Returns 0 or -errno with one line in why. */
int icon_read_png(const char *path, struct icon_image *img, char *why, size_t why_len);

/* Writes img as an 8-bit RGBA PNG to path (created 0644, replaced). Returns 0 or -errno. */
int icon_write_png(const char *path, const struct icon_image *img);

void icon_free(struct icon_image *img);

#endif
