/* seam-run's directories, after the XDG base directory specification. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/paths.h"

const char *paths_home(void)
{
	const char *h = getenv("HOME");
	if (h && h[0] == '/')
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : "/";
}

/* snprintf into buf: 0, or -ENAMETOOLONG if it did not fit. */
static int put(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int put(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int paths_seam_runtime(char *buf, size_t size)
{
	const char *x = getenv("XDG_RUNTIME_DIR");
	if (x && x[0] == '/')
		return put(buf, size, "%s/seam", x);
	char run[64];
	struct stat st;
	snprintf(run, sizeof(run), "/run/user/%u", (unsigned)getuid());
	if (lstat(run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
	    (st.st_mode & 077) == 0)
		return put(buf, size, "%s/seam", run);
	return put(buf, size, "/tmp/seam-%u", (unsigned)getuid());
}

int paths_private_dir(const char *path, bool create, char *why, size_t why_len)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash || !slash[1] || strlen(path) >= sizeof(parent)) {
		snprintf(why, why_len, "%s: not an absolute path to a directory", path);
		return -EINVAL;
	}
	const char *leaf = slash + 1;
	snprintf(parent, sizeof(parent), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	int rc = 0, pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;
	struct stat st;
	if (pfd < 0 || fstat(pfd, &st)) {
		rc = -errno;
		snprintf(why, why_len, "cannot open %s: %s", parent, strerror(errno));
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, why_len, "%s belongs to uid %u, neither root nor you (uid %u)",
			 parent, (unsigned)st.st_uid, (unsigned)geteuid());
		rc = -EPERM;
		goto out;
	}
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) {
		snprintf(why, why_len, "%s is writable by others and not sticky", parent);
		rc = -EPERM;
		goto out;
	}
	if (create && mkdirat(pfd, leaf, 0700) && errno != EEXIST) {
		rc = -errno;
		snprintf(why, why_len, "cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	/* Checked through the descriptor, never by name again: what we check is what is there. */
	fd = openat(pfd, leaf, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		if (errno == ELOOP || errno == ENOTDIR)
			snprintf(why, why_len, "%s is a symlink or not a directory: refusing it",
				 path);
		else
			snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, why_len,
			 "%s belongs to uid %u, not to you (uid %u): refusing it (remove it, or "
			 "set XDG_RUNTIME_DIR)",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
		rc = -EPERM;
	} else if (st.st_mode & 077) {
		snprintf(why, why_len,
			 "%s has mode %04o, open to others: refusing it (it must be 0700)", path,
			 (unsigned)(st.st_mode & 07777));
		rc = -EPERM;
	}
out:
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	return rc;
}

int paths_seam_data(char *buf, size_t size)
{
	const char *x = getenv("XDG_DATA_HOME");
	if (x && x[0] == '/')
		return put(buf, size, "%s/seam", x);
	return put(buf, size, "%s/.local/share/seam", paths_home());
}

int paths_config_file(const char *name, char *buf, size_t size)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && x[0] == '/')
		return put(buf, size, "%s/seam/domains/%s.conf", x, name);
	return put(buf, size, "%s/.config/seam/domains/%s.conf", paths_home(), name);
}

int paths_domain_home(const char *name, char *buf, size_t size)
{
	char data[PATH_MAX];
	return paths_seam_data(data, sizeof(data))
		   ?: put(buf, size, "%s/domains/%s/home", data, name);
}

int paths_xorg_driver(const char *bin_dir, char *buf, size_t size)
{
	const char *want = getenv("SEAM_XORG_DRIVER");
	if (want && !strcmp(want, "dummy"))
		return -ENOENT;
	if (want && *want && strcmp(want, "auto") && strcmp(want, "seam"))
		return -EINVAL;
	const char *sys = "/usr/lib/xorg/modules/drivers/seam_drv.so";
	if (!put(buf, size, "%s/../lib/xorg/modules/drivers/seam_drv.so", bin_dir) &&
	    !access(buf, R_OK))
		return 0;
	if (!access(sys, R_OK))
		return put(buf, size, "%s", sys);
	return -ENOENT;
}

int paths_mkdir_p(const char *path, unsigned mode, uid_t also)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) && errno != EEXIST)
			return -errno;
		*s = c;
		if (!c)
			break;
	}
	struct stat st;
	if (lstat(p, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() && st.st_uid != also)
		return -EPERM;
	return 0;
}
