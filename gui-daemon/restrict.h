/* Least privilege once set up: the daemon can then write nowhere but its runtime directory, remove
 * nothing but files in its socket's directory, and open /dev/xen read-write (gntdev), enforced by
 * the kernel with Landlock where it exists. Reading is left alone: the X server, fonts and cursor
 * themes need it (executing is refused by the seccomp filter). */
#ifndef SEAM_DAEMON_RESTRICT_H
#define SEAM_DAEMON_RESTRICT_H

/* Restrict this process for good. runtime_dir is created (mode 0700) if missing; socket_path is
 * the listening socket's path, or NULL where there is none. Logs what it did: an info line when
 * Landlock is missing, a warning when it failed. 0 when restricted, else -errno (-EOPNOTSUPP: no
 * Landlock). */
int restrict_writes(const char *runtime_dir, const char *socket_path);

#endif
