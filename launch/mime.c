/* MIME types and default applications (launch/mime.h). */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/dirs.h"
#include "launch/mime.h"

/* Calls fn on each line of buf (NUL-terminated, len bytes), with the line NUL-terminated in place
 * of its newline; stops when fn returns non-zero and returns that. */
static int each_line(char *buf, size_t len, int (*fn)(char *line, void *ctx), void *ctx)
{
	char *p = buf, *end = buf + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl)
			*nl = '\0';
		int rc = fn(p, ctx);
		if (rc)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

struct glob_match {
	const char *base;
	unsigned weight;
	size_t glob_len;
	char type[MIME_TYPE_MAX];
};

/* One "weight:type:glob[:flags]" line of globs2. */
static int glob_line(char *line, void *ctx)
{
	struct glob_match *m = ctx;
	if (line[0] == '#')
		return 0;
	char *save = NULL;
	char *w = strtok_r(line, ":", &save);
	char *type = strtok_r(NULL, ":", &save);
	char *glob = strtok_r(NULL, ":", &save);
	char *flags = strtok_r(NULL, ":", &save);
	if (!w || !type || !glob || strlen(type) >= MIME_TYPE_MAX)
		return 0;
	unsigned weight = (unsigned)strtoul(w, NULL, 10);
	size_t glob_len = strlen(glob);
	bool cs = flags && strstr(flags, "cs");
	if (fnmatch(glob, m->base, cs ? 0 : FNM_CASEFOLD))
		return 0;
	if (m->type[0] && (weight < m->weight || (weight == m->weight && glob_len <= m->glob_len)))
		return 0;
	m->weight = weight;
	m->glob_len = glob_len;
	snprintf(m->type, sizeof(m->type), "%s", type);
	return 0;
}

static bool looks_like_text(int fd)
{
	unsigned char b[4096];
	ssize_t n = pread(fd, b, sizeof(b), 0);
	if (n < 0)
		return false;
	for (ssize_t i = 0; i < n; i++)
		if (b[i] == 0 || (b[i] < 0x20 && !strchr("\t\n\r\f", b[i])) || b[i] == 0x7f)
			return false;
	return true;
}

void mime_type_of(const char *base, int fd, char type[MIME_TYPE_MAX])
{
	const char *dirs[DIRS_TEMPLATE_MAX];
	char dbuf[PATH_MAX * 2], path[PATH_MAX];
	struct glob_match m = {.base = base};
	int n = dirs_template(dirs, dbuf);
	for (int i = 0; i < n && !m.type[0]; i++) {
		if (snprintf(path, sizeof(path), "%s/mime/globs2", dirs[i]) >= (int)sizeof(path))
			continue;
		int gfd = open(path, O_RDONLY | O_CLOEXEC);
		char *buf;
		size_t len;
		if (gfd < 0)
			continue;
		if (!dirs_read_all(gfd, MIME_FILE_MAX, &buf, &len)) {
			each_line(buf, len, glob_line, &m);
			free(buf);
		}
		close(gfd);
	}
	if (m.type[0])
		snprintf(type, MIME_TYPE_MAX, "%s", m.type);
	else
		snprintf(type, MIME_TYPE_MAX, "%s",
			 looks_like_text(fd) ? "text/plain" : "application/octet-stream");
}

/* A key of one group of an ini-style file (mimeapps.list, mimeinfo.cache). */
struct ini_lookup {
	const char *group, *key;
	bool in_group;
	char value[DESKTOP_VALUE_MAX];
};

static int ini_line(char *line, void *ctx)
{
	struct ini_lookup *l = ctx;
	size_t n = strlen(line);
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	if (line[0] == '[') {
		l->in_group = n == strlen(l->group) + 2 && !strncmp(line + 1, l->group, n - 2) &&
			      line[n - 1] == ']';
		return 0;
	}
	if (!l->in_group || line[0] == '#')
		return 0;
	char *eq = strchr(line, '=');
	if (!eq)
		return 0;
	char *k_end = eq;
	while (k_end > line && k_end[-1] == ' ')
		k_end--;
	if ((size_t)(k_end - line) != strlen(l->key) || strncmp(line, l->key, strlen(l->key)))
		return 0;
	for (eq++; *eq == ' ';)
		eq++;
	snprintf(l->value, sizeof(l->value), "%s", eq);
	return 1;
}

/* The first application of a ";"-separated list the domain has. */
static int first_present(const char *name, char *list, struct desktop_entry *e,
			 char id[DESKTOP_ID_MAX], char location[PATH_MAX])
{
	char *save = NULL, why[PATH_MAX + 256];
	for (char *a = strtok_r(list, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
		if (!desktop_id_valid(a))
			continue;
		if (!dirs_find_desktop(name, a, e, location, why, sizeof(why))) {
			snprintf(id, DESKTOP_ID_MAX, "%s", a);
			return 0;
		}
	}
	return -ENOENT;
}

/* Looks type up in group of the file fd (closed here). */
static int from_file(int fd, const char *group, const char *name, const char *type,
		     struct desktop_entry *e, char id[DESKTOP_ID_MAX], char location[PATH_MAX])
{
	struct ini_lookup l = {.group = group, .key = type};
	char *buf;
	size_t len;
	if (fd < 0)
		return -ENOENT;
	int rc = dirs_read_all(fd, MIME_FILE_MAX, &buf, &len);
	close(fd);
	if (rc)
		return rc;
	rc = each_line(buf, len, ini_line, &l) ? first_present(name, l.value, e, id, location)
					       : -ENOENT;
	free(buf);
	return rc;
}

static int lookup(const char *name, const char *type, struct desktop_entry *e,
		  char id[DESKTOP_ID_MAX], char location[PATH_MAX])
{
	const char *defaults = "Default Applications";
	const char *dirs[DIRS_TEMPLATE_MAX];
	char dbuf[PATH_MAX * 2], path[PATH_MAX];
	int n = dirs_template(dirs, dbuf);

	if (!from_file(dirs_open_in_home(name, ".config/mimeapps.list"), defaults, name, type, e,
		       id, location) ||
	    !from_file(dirs_open_in_home(name, ".local/share/applications/mimeapps.list"), defaults,
		       name, type, e, id, location) ||
	    !from_file(open("/etc/xdg/mimeapps.list", O_RDONLY | O_CLOEXEC), defaults, name, type,
		       e, id, location))
		return 0;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/applications/mimeapps.list", dirs[i]);
		if (!from_file(open(path, O_RDONLY | O_CLOEXEC), defaults, name, type, e, id,
			       location))
			return 0;
	}
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/applications/mimeinfo.cache", dirs[i]);
		if (!from_file(open(path, O_RDONLY | O_CLOEXEC), "MIME Cache", name, type, e, id,
			       location))
			return 0;
	}
	return -ENOENT;
}

int mime_default_app(const char *name, const char *type, struct desktop_entry *e,
		     char id[DESKTOP_ID_MAX], char location[PATH_MAX], char *why, size_t why_len)
{
	if (!lookup(name, type, e, id, location))
		return 0;
	if (!strncmp(type, "text/", 5) && !lookup(name, "text/plain", e, id, location))
		return 0;
	snprintf(why, why_len, "no application in the domain opens %s files", type);
	return -ENOENT;
}
