/* Where seam-run keeps things: the runtime registry of running domains, the persistent homes of
 * named domains, and their config files. Each follows the XDG base directory variables. */
#ifndef SEAM_SANDBOX_PATHS_H
#define SEAM_SANDBOX_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* $HOME, or the password database's home. Never NULL (falls back to "/"). */
const char *paths_home(void);

/* Each of the following writes a path into buf (size bytes) and returns 0, or -ENAMETOOLONG. */

/* $XDG_RUNTIME_DIR/seam; without XDG_RUNTIME_DIR, /run/user/UID/seam when that directory is ours,
 * else /tmp/seam-UID. Only computed: nothing is created (see paths_private_dir). */
int paths_seam_runtime(char *buf, size_t size);

/* Makes sure path is a directory only we can use, creating it (mode 0700) with create: it must be
 * a directory, not a symlink, owned by our effective uid, with no access for group or others; its
 * parent must be owned by root or by us and, when others may write to it, sticky (as /tmp is), so
 * nobody else can replace it afterwards. Returns 0, or -errno with one line in why (-ENOENT when
 * it does not exist and create is false). */
int paths_private_dir(const char *path, bool create, char *why, size_t why_len);

/* ${XDG_DATA_HOME:-~/.local/share}/seam: the homes of named domains. */
int paths_seam_data(char *buf, size_t size);

/* ${XDG_CONFIG_HOME:-~/.config}/seam/domains/NAME.conf. */
int paths_config_file(const char *name, char *buf, size_t size);

/* paths_seam_data()/domains/NAME/home. */
int paths_domain_home(const char *name, char *buf, size_t size);

/* Seam's guest Xorg driver for the domain's X server, chosen by $SEAM_XORG_DRIVER: "dummy" takes
 * none (Xorg's dummy driver), unset, "auto" or "seam" take BIN_DIR/../lib/xorg/modules/drivers/
 * seam_drv.so (a build tree or an installed prefix), else /usr/lib/xorg/modules/drivers/
 * seam_drv.so (PREFIX=/usr, the package). Returns 0 with the path in buf, -ENOENT when none is
 * installed or wanted, -EINVAL for another value of the variable. */
int paths_xorg_driver(const char *bin_dir, char *buf, size_t size);

/* mkdir -p with mode for every directory it creates; an existing final directory must be ours or
 * also's (the sandbox's user, to whom root gives a domain's home) and not a symlink. Returns 0 or
 * -errno. */
int paths_mkdir_p(const char *path, unsigned mode, uid_t also);

#endif
