/* PNG icons: finding, reading and writing them with libpng (launch/icon.h). */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/dirs.h"
#include "launch/icon.h"

const unsigned icon_sizes[ICON_SIZES_N] = {16, 22, 24, 32, 48, 64, 128, 256, 512};

static int ends_with_png(const char *s)
{
	size_t n = strlen(s);
	return n > 4 && !strcmp(s + n - 4, ".png");
}

int icon_find(const char *icon, unsigned size, char path[PATH_MAX])
{
	const char *dirs[DIRS_TEMPLATE_MAX];
	char buf[PATH_MAX * 2];
	int n = dirs_template(dirs, buf);

	if (!icon[0] || strchr(icon, '/')) {
		/* An absolute path is taken only inside the template, which the domain sees too. */
		if (icon[0] != '/' || !ends_with_png(icon) || strstr(icon, "/../") || size)
			return -ENOENT;
		for (int i = 0; i < n; i++) {
			size_t l = strlen(dirs[i]);
			if (!strncmp(icon, dirs[i], l) && icon[l] == '/' && !access(icon, R_OK)) {
				snprintf(path, PATH_MAX, "%s", icon);
				return 0;
			}
		}
		return -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		int w = size ? snprintf(path, PATH_MAX, "%s/icons/hicolor/%ux%u/apps/%s%s", dirs[i],
					size, size, icon, ends_with_png(icon) ? "" : ".png")
			     : snprintf(path, PATH_MAX, "%s/pixmaps/%s%s", dirs[i], icon,
					ends_with_png(icon) ? "" : ".png");
		if (w > 0 && w < PATH_MAX && !access(path, R_OK))
			return 0;
	}
	return -ENOENT;
}

void icon_free(struct icon_image *img)
{
	free(img->argb);
	img->argb = NULL;
}

int icon_read_png(const char *path, struct icon_image *img, char *why, size_t why_len)
{
	png_image p;
	memset(&p, 0, sizeof(p));
	p.version = PNG_IMAGE_VERSION;
	img->argb = NULL;
	if (!png_image_begin_read_from_file(&p, path)) {
		snprintf(why, why_len, "%s: %s", path, p.message);
		return -EINVAL;
	}
	if (p.width == 0 || p.height == 0 || p.width > ICON_SIDE_MAX || p.height > ICON_SIDE_MAX) {
		snprintf(why, why_len, "%s: %ux%u is not an icon size", path, p.width, p.height);
		png_image_free(&p);
		return -EINVAL;
	}
	p.format = PNG_FORMAT_BGRA; /* in memory, little-endian: the bytes of a 0xAARRGGBB word */
	uint32_t *px = malloc((size_t)p.width * p.height * 4);
	if (!px) {
		png_image_free(&p);
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (!png_image_finish_read(&p, NULL, px, 0, NULL)) {
		snprintf(why, why_len, "%s: %s", path, p.message);
		free(px);
		return -EINVAL;
	}
	img->w = p.width;
	img->h = p.height;
	img->argb = px;
	return 0;
}

int icon_write_png(const char *path, const struct icon_image *img)
{
	char tmp[PATH_MAX];
	png_image p;
	memset(&p, 0, sizeof(p));
	p.version = PNG_IMAGE_VERSION;
	p.width = img->w;
	p.height = img->h;
	p.format = PNG_FORMAT_BGRA;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (!png_image_write_to_file(&p, tmp, 0, img->argb, 0, NULL)) {
		unlink(tmp);
		return -EIO;
	}
	if (rename(tmp, path)) {
		int err = errno;
		unlink(tmp);
		return -err;
	}
	return 0;
}
