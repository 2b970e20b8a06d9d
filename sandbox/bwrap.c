/* The bubblewrap command line of a domain. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/bwrap.h"

extern char **environ;

static int add(struct bwrap_cmd *c, const char *s)
{
	if (c->argc + 2 > c->cap) {
		int cap = c->cap ? c->cap * 2 : 128;
		char **n = realloc(c->argv, sizeof(*n) * (size_t)cap);
		if (!n)
			return -ENOMEM;
		c->argv = n;
		c->cap = cap;
	}
	char *d = strdup(s);
	if (!d)
		return -ENOMEM;
	c->argv[c->argc++] = d;
	c->argv[c->argc] = NULL;
	return 0;
}

static int addf(struct bwrap_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int addf(struct bwrap_cmd *c, const char *fmt, ...)
{
	char buf[PATH_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -ENAMETOOLONG;
	return add(c, buf);
}

static int add3(struct bwrap_cmd *c, const char *a, const char *b, const char *d)
{
	int rc = add(c, a);
	if (!rc && b)
		rc = add(c, b);
	if (!rc && d)
		rc = add(c, d);
	return rc;
}

/* The system, read-only. On a merged-/usr system /bin, /lib... are symlinks into /usr: recreate
 * them as symlinks; where they are real directories, bind them too. */
static int add_system(struct bwrap_cmd *c)
{
	static const char *const top[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};
	int rc = add3(c, "--ro-bind", "/usr", "/usr");
	for (size_t i = 0; !rc && i < sizeof(top) / sizeof(top[0]); i++) {
		char path[64], target[PATH_MAX];
		struct stat st;
		snprintf(path, sizeof(path), "/%s", top[i]);
		if (lstat(path, &st))
			continue;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			rc = add3(c, "--symlink", target, path);
		} else if (S_ISDIR(st.st_mode)) {
			rc = add3(c, "--ro-bind", path, path);
		}
	}
	if (!rc)
		rc = add3(c, "--ro-bind", "/etc", "/etc");
	/* Secrets a user's program has no business reading; they matter when seam-run runs as root,
	 * for whom they are readable. */
	static const char *const secret_files[] = {"/etc/shadow", "/etc/shadow-", "/etc/gshadow",
						   "/etc/gshadow-", "/etc/sudoers"};
	static const char *const secret_dirs[] = {"/etc/ssh", "/etc/ssl/private", "/etc/sudoers.d"};
	for (size_t i = 0; !rc && i < sizeof(secret_files) / sizeof(secret_files[0]); i++) {
		struct stat st;
		if (lstat(secret_files[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = add3(c, "--ro-bind", "/dev/null", secret_files[i]);
	}
	for (size_t i = 0; !rc && i < sizeof(secret_dirs) / sizeof(secret_dirs[0]); i++) {
		struct stat st;
		if (lstat(secret_dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = add3(c, "--tmpfs", secret_dirs[i], NULL);
	}
	if (!rc)
		rc = add3(c, "--ro-bind-try", "/opt", "/opt");
	/* Font caches: without them every application rebuilds them at start. */
	if (!rc)
		rc = add3(c, "--ro-bind-try", "/var/cache/fontconfig", "/var/cache/fontconfig");
	return rc;
}

/* Variables passed from the user's environment: the locale, the terminal, the time zone. Nothing
 * that names a socket or a session (DISPLAY, XAUTHORITY, DBUS_*, WAYLAND_*, PULSE_*, SSH_AUTH_SOCK,
 * SESSION_MANAGER...) crosses. */
static bool env_passes(const char *kv)
{
	static const char *const keep[] = {
	    "TERM=", "COLORTERM=", "LANG=", "LANGUAGE=", "TZ=", "SHELL="};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (strncmp(kv, keep[i], strlen(keep[i])) == 0)
			return true;
	return strncmp(kv, "LC_", 3) == 0;
}

static int add_env(struct bwrap_cmd *c, const struct bwrap_params *p)
{
	char user[64];
	struct passwd *pw = getpwuid(p->uid);
	const char *u = pw ? pw->pw_name : getenv("USER");
	if (!u || !*u || strchr(u, '/'))
		snprintf(user, sizeof(user), "%u", (unsigned)p->uid);
	else
		snprintf(user, sizeof(user), "%s", u);
	int rc = add(c, "--clearenv");
	for (char **e = environ; !rc && *e; e++) {
		char *eq = strchr(*e, '=');
		if (!eq || !env_passes(*e))
			continue;
		char key[64];
		size_t n = (size_t)(eq - *e);
		if (n >= sizeof(key))
			continue;
		memcpy(key, *e, n);
		key[n] = '\0';
		rc = add3(c, "--setenv", key, eq + 1);
	}
	if (!rc)
		rc = add3(c, "--setenv", "HOME", p->home);
	if (!rc)
		rc = add3(c, "--setenv", "USER", user);
	if (!rc)
		rc = add3(c, "--setenv", "LOGNAME", user);
	if (!rc)
		rc = add3(c, "--setenv", "PATH",
			  "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	if (!rc)
		rc = add(c, "--setenv") ?: add(c, "XDG_RUNTIME_DIR") ?:
					    addf(c, "/run/user/%u", (unsigned)p->uid);
	if (!rc)
		rc = add3(c, "--setenv", "SEAM_DOMAIN", p->name);
	/* The host's disks are not the domain's: GLib lists local mounts only, instead of asking
	 * the domain's bus for GVfs's volume monitors (udisks2 is on a system bus the domain cannot
	 * reach; where GVfs is installed, GTK applications warned that it is "not supported"). */
	if (!rc)
		rc = add3(c, "--setenv", "GIO_USE_VOLUME_MONITOR", "unix");
	return rc;
}

static int add_mounts(struct bwrap_cmd *c, const struct bwrap_params *p)
{
	const struct run_opts *o = p->o;
	int rc = add_system(c);
	if (!rc)
		rc = add3(c, "--proc", "/proc", NULL);
	/* bwrap covers /proc/sys only when it looks writable, and as a directory it never does; yet
	 * a domain of root's is root (uid 0 without capabilities) for file permissions, and the
	 * sysctl files are root's: kernel.core_pattern alone would give host root. Sysctls answer
	 * for the reader's namespaces, so this view of them is the domain's own, read-only. */
	if (!rc)
		rc = add3(c, "--ro-bind", "/proc/sys", "/proc/sys");
	if (!rc)
		rc = add3(c, "--dev", "/dev", NULL);
	if (!rc)
		rc = add3(c, "--tmpfs", "/tmp", NULL);
	if (!rc)
		rc = add3(c, "--tmpfs", "/var/tmp", NULL);
	if (!rc)
		rc = add3(c, "--tmpfs", "/run", NULL);
	if (!rc)
		rc = add3(c, "--perms", "0700", "--dir")
			 ?: addf(c, "/run/user/%u", (unsigned)p->uid);
	if (!rc && p->resolv_fd >= 0)
		rc = add(c, "--ro-bind-data") ?: addf(c, "%d", p->resolv_fd) ?:
						  add(c, "/etc/resolv.conf");
	/* After /tmp and /run, so a home below them is not hidden again. */
	if (!rc && p->domain_home)
		rc = add3(c, "--bind", p->domain_home, p->home);
	else if (!rc)
		rc = add3(c, "--perms", "0700", "--tmpfs") ?: add(c, p->home);
	for (int i = 0; !rc && i < o->n_shares; i++) {
		const char *bind = o->shares[i].ro ? "--ro-bind" : "--bind";
		if (p->share_src_dir)
			rc = add(c, bind) ?: addf(c, "%s/share%d", p->share_src_dir, i) ?:
					     add(c, o->shares[i].path);
		else
			rc = add3(c, bind, o->shares[i].path, o->shares[i].path);
	}
	/* Read-only: the sandbox can connect to the sockets in it and write nothing there. */
	if (!rc)
		rc = add3(c, "--ro-bind", p->chan_dir, BWRAP_CHAN_DIR);
	if (!rc)
		rc = add3(c, "--ro-bind", p->self_exe, BWRAP_BIN_DIR "/seam-run");
	if (!rc)
		rc = add3(c, "--ro-bind", p->agent_exe, BWRAP_BIN_DIR "/seam-gui-agent");
	if (!rc && p->audio_agent_exe)
		rc = add3(c, "--ro-bind", p->audio_agent_exe, BWRAP_BIN_DIR "/seam-audio-agent");
	if (!rc && p->xorg_driver)
		rc = add3(c, "--ro-bind", p->xorg_driver, BWRAP_XORG_DRIVER);
	return rc;
}

int bwrap_build(const struct bwrap_params *p, struct bwrap_cmd *c)
{
	*c = (struct bwrap_cmd){0};
	int rc = add(c, p->bwrap);
	/* A user namespace for every domain, even under root: capabilities inside it are worth
	 * nothing outside, and --disable-userns keeps the sandbox from making more (a large kernel
	 * attack surface). The network namespace has only loopback; pasta adds an interface for
	 * --net. */
	static const char *const ns[] = {"--unshare-user",	"--disable-userns", "--unshare-ipc",
					 "--unshare-pid",	"--unshare-uts",    "--unshare-net",
					 "--unshare-cgroup-try"};
	for (size_t i = 0; !rc && i < sizeof(ns) / sizeof(ns[0]); i++)
		rc = add(c, ns[i]);
	if (!rc)
		rc = add(c, "--uid") ?: addf(c, "%u", (unsigned)p->uid);
	if (!rc)
		rc = add(c, "--gid") ?: addf(c, "%u", (unsigned)p->gid);
	if (!rc)
		rc = add3(c, "--cap-drop", "ALL", NULL);
	if (!rc)
		rc = add3(c, "--hostname", p->name, NULL);
	/* The init is PID 1: when it ends, the kernel ends every process of the domain. */
	if (!rc)
		rc = add3(c, "--as-pid-1", "--die-with-parent", "--new-session");
	if (!rc)
		rc = add(c, "--info-fd") ?: addf(c, "%d", p->info_fd);
	if (!rc)
		rc = add_mounts(c, p);
	if (!rc)
		rc = add_env(c, p);
	if (!rc)
		rc = add3(c, "--chdir", p->home, NULL);
	if (!rc)
		rc = add3(c, "--", BWRAP_BIN_DIR "/seam-run", "--sandbox-init");
	if (!rc)
		rc = add(c, "--size") ?: addf(c, "%ux%u", p->width, p->height);
	for (int i = 0; !rc && i < p->o->verbose; i++)
		rc = add(c, "-v");
	if (!rc && p->audio_agent_exe)
		rc = add(c, "--audio");
	if (rc)
		bwrap_free(c);
	return rc;
}

void bwrap_free(struct bwrap_cmd *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	*c = (struct bwrap_cmd){0};
}
