/* Least privilege with Landlock (gui-daemon/restrict.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "gui-daemon/restrict.h"

/* Rights added by later Landlock ABIs (the build's headers may predate them). */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

/* Every right that changes the file system, as far as this kernel's ABI knows them. */
static uint64_t write_rights(int abi)
{
	uint64_t r = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
		     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
		     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
		     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
		     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return r;
}

static int allow(int ruleset, const char *path, uint64_t rights)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct landlock_path_beneath_attr rule = {.allowed_access = rights, .parent_fd = fd};
	int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
	close(fd);
	return rc;
}

int restrict_writes(const char *runtime_dir, const char *socket_path)
{
	int abi =
	    (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		log_info("Landlock is not available (%s): file system writes are not restricted",
			 strerror(errno));
		return -EOPNOTSUPP;
	}
	uint64_t rights = write_rights(abi);
	struct landlock_ruleset_attr attr = {.handled_access_fs = rights};
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0) {
		int rc = -errno;
		log_warn("Landlock: cannot create a ruleset: %s", strerror(-rc));
		return rc;
	}
	mkdir(runtime_dir, 0700); /* it must exist to be allowed */
	int ok = allow(rs, runtime_dir, rights) == 0;
	char sockdir[sizeof(((struct sockaddr_un *)0)->sun_path)] = "";
	if (socket_path) {
		/* Only to remove our socket at exit. */
		snprintf(sockdir, sizeof(sockdir), "%s", socket_path);
		ok &= allow(rs, dirname(sockdir), LANDLOCK_ACCESS_FS_REMOVE_FILE) == 0;
	}
	if (access("/dev/xen", F_OK) == 0)
		allow(rs, "/dev/xen",
		      LANDLOCK_ACCESS_FS_WRITE_FILE); /* gntdev is opened read-write */
	if (!ok || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, rs, 0)) {
		int rc = errno ? -errno : -EPERM;
		log_warn("Landlock: cannot restrict the daemon: %s", strerror(-rc));
		close(rs);
		return rc;
	}
	close(rs);
	log_info("file system writes restricted to %s%s%s (Landlock ABI %d)", runtime_dir,
		 sockdir[0] ? " and removing the socket in " : "", sockdir, abi);
	return 0;
}
