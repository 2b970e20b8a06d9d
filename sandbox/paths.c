/* seam-run's directories, after the XDG base directory specification. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
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

const char *paths_seam_runtime(void)
{
	static char buf[PATH_MAX];
	if (buf[0])
		return buf;
	const char *x = getenv("XDG_RUNTIME_DIR");
	if (x && x[0] == '/') {
		snprintf(buf, sizeof(buf), "%s/seam", x);
		return buf;
	}
	char run[64];
	struct stat st;
	snprintf(run, sizeof(run), "/run/user/%u", (unsigned)getuid());
	if (lstat(run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
	    (st.st_mode & 077) == 0)
		snprintf(buf, sizeof(buf), "%s/seam", run);
	else
		snprintf(buf, sizeof(buf), "/tmp/seam-%u", (unsigned)getuid());
	return buf;
}

const char *paths_seam_data(void)
{
	static char buf[PATH_MAX];
	if (buf[0])
		return buf;
	const char *x = getenv("XDG_DATA_HOME");
	if (x && x[0] == '/')
		snprintf(buf, sizeof(buf), "%s/seam", x);
	else
		snprintf(buf, sizeof(buf), "%s/.local/share/seam", paths_home());
	return buf;
}

int paths_config_file(const char *name, char *buf, size_t size)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	int n;
	if (x && x[0] == '/')
		n = snprintf(buf, size, "%s/seam/domains/%s.conf", x, name);
	else
		n = snprintf(buf, size, "%s/.config/seam/domains/%s.conf", paths_home(), name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int paths_domain_home(const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/domains/%s/home", paths_seam_data(), name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int paths_mkdir_p(const char *path, unsigned mode)
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
	if (st.st_uid != geteuid())
		return -EPERM;
	return 0;
}
