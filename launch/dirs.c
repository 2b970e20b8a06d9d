/* The domain's view of applications and the user's XDG directories (launch/dirs.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "launch/dirs.h"
#include "sandbox/paths.h"

int dirs_template(const char *dirs[DIRS_TEMPLATE_MAX], char buf[PATH_MAX * 2])
{
	const char *env = getenv("SEAM_LAUNCH_DATA_DIRS");
	if (!env || !env[0])
		env = "/usr/local/share:/usr/share";
	snprintf(buf, PATH_MAX * 2, "%s", env);
	int n = 0;
	char *save = NULL;
	for (char *d = strtok_r(buf, ":", &save); d && n < DIRS_TEMPLATE_MAX;
	     d = strtok_r(NULL, ":", &save))
		if (d[0] == '/')
			dirs[n++] = d;
	return n;
}

int dirs_open_in_home(const char *name, const char *home_rel)
{
	char home[PATH_MAX];
	if (!name)
		return -ENOENT;
	if (paths_domain_home(name, home, sizeof(home)))
		return -ENAMETOOLONG;
	int hfd = open(home, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (hfd < 0)
		return -errno;
	struct open_how how = {
	    .flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, hfd, home_rel, &how, sizeof(how));
	int err = errno;
	close(hfd);
	return fd < 0 ? -err : fd;
}

int dirs_read_all(int fd, size_t max, char **buf, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size > (off_t)max)
		return -EFBIG;
	char *b = malloc(max + 1);
	if (!b)
		return -ENOMEM;
	size_t n = 0;
	while (n <= max) {
		ssize_t r = pread(fd, b + n, max + 1 - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;
			free(b);
			return -err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(b);
		return -EFBIG;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int dirs_load_desktop(int fd, struct desktop_entry *e, char *why, size_t why_len)
{
	char *buf;
	size_t len;
	int rc = dirs_read_all(fd, DESKTOP_FILE_MAX, &buf, &len);
	if (rc) {
		snprintf(why, why_len, "%s", rc == -EINVAL ? "not a regular file" : strerror(-rc));
		return rc;
	}
	rc = desktop_parse(buf, len, e, why, why_len);
	free(buf);
	return rc;
}

/* Loads an opened desktop file; a Hidden one counts as absent. */
static int load(int fd, struct desktop_entry *e, const char *where, char *why, size_t why_len)
{
	char problem[256];
	int rc = dirs_load_desktop(fd, e, problem, sizeof(problem));
	close(fd);
	if (rc) {
		snprintf(why, why_len, "%s: %s", where, problem);
		return rc == -ENOENT ? -EINVAL : rc;
	}
	return e->hidden ? -ENOENT : 0;
}

int dirs_find_desktop(const char *name, const char *id, struct desktop_entry *e,
		      char location[PATH_MAX], char *why, size_t why_len)
{
	char rel[DESKTOP_ID_MAX + 32];
	if (!desktop_id_valid(id)) {
		snprintf(why, why_len, "'%s' is not a desktop file id (NAME.desktop)", id);
		return -EINVAL;
	}
	snprintf(rel, sizeof(rel), ".local/share/applications/%s", id);
	int fd = dirs_open_in_home(name, rel);
	if (fd >= 0) {
		snprintf(location, PATH_MAX, "%s/%s", paths_home(), rel);
		return load(fd, e, location, why, why_len);
	}
	if (fd == -ELOOP || fd == -EXDEV) {
		snprintf(why, why_len, "%s in domain %s's home is a symlink: refused", id, name);
		return fd;
	}
	const char *dirs[DIRS_TEMPLATE_MAX];
	char buf[PATH_MAX * 2];
	int n = dirs_template(dirs, buf);
	for (int i = 0; i < n; i++) {
		if (snprintf(location, PATH_MAX, "%s/applications/%s", dirs[i], id) >= PATH_MAX)
			continue;
		fd = open(location, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0)
			return load(fd, e, location, why, why_len);
	}
	snprintf(why, why_len, "no application %s in the domain", id);
	return -ENOENT;
}

static int xdg(const char *var, const char *fallback, const char *rel, char buf[PATH_MAX])
{
	const char *v = getenv(var);
	int n = v && v[0] == '/' ? snprintf(buf, PATH_MAX, "%s/%s", v, rel)
				 : snprintf(buf, PATH_MAX, "%s/%s/%s", paths_home(), fallback, rel);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

int dirs_data_home(const char *rel, char buf[PATH_MAX])
{
	return xdg("XDG_DATA_HOME", ".local/share", rel, buf);
}

int dirs_config_home(const char *rel, char buf[PATH_MAX])
{
	return xdg("XDG_CONFIG_HOME", ".config", rel, buf);
}

int dirs_parent(const char *path, char buf[PATH_MAX])
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	if (n == 0) {
		snprintf(buf, PATH_MAX, slash ? "/" : ".");
		return 0;
	}
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

static int make_parent(const char *path)
{
	char dir[PATH_MAX];
	int rc = dirs_parent(path, dir);
	return rc ? rc : paths_mkdir_p(dir, 0755, geteuid());
}

int dirs_write_file(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	int rc = make_parent(path);
	if (rc)
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int dirs_link(const char *target, const char *link)
{
	char tmp[PATH_MAX];
	int rc = make_parent(link);
	if (rc)
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%d", link, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);
	if (symlink(target, tmp))
		return -errno;
	if (rename(tmp, link)) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

int dirs_beside_self(const char *prog, char buf[PATH_MAX])
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	return snprintf(buf, PATH_MAX, "%s/%s", self, prog) >= PATH_MAX ? -ENAMETOOLONG : 0;
}
