/* The bubblewrap command line of a domain: which namespaces, which mounts, which environment. Pure:
 * it builds an argv from the options and the paths, and starts nothing. docs/sandbox.md explains
 * each choice. */
#ifndef SEAM_SANDBOX_BWRAP_H
#define SEAM_SANDBOX_BWRAP_H

#include <sys/types.h>

#include "sandbox/opts.h"

/* Inside the sandbox: the channel directory, and seam-run's programs (bound read-only). */
#define BWRAP_CHAN_DIR "/run/seam"
#define BWRAP_BIN_DIR  "/run/seam-bin"
/* Seam's guest Xorg driver, when the owner found one (paths_xorg_driver): an Xorg module tree of
 * one file, for -modulepath. */
#define BWRAP_XORG_MODULES BWRAP_BIN_DIR "/xorg"
#define BWRAP_XORG_DRIVER  BWRAP_XORG_MODULES "/drivers/seam_drv.so"
/* Who a domain of root's runs as, inside and on the host, when the password database has no
 * "nobody": never root, for whom every root-only file of the system would be readable. bwrap runs
 * as that user, so its user namespace maps that user to itself (docs/sandbox.md). */
#define BWRAP_ROOT_UID 65534
#define BWRAP_ROOT_GID 65534

/* Descriptor numbers in the sandbox's init: the control socket to the owner. */
#define BWRAP_INIT_FD 3

struct bwrap_params {
	const struct run_opts *o;
	const char *name;
	uid_t uid; /* the user inside (see BWRAP_ROOT_UID) */
	gid_t gid;
	const char *bwrap;	     /* the bwrap executable */
	const char *home;	     /* the user's home: the same path inside */
	const char *domain_home;     /* named: its persistent home on the host; NULL: a tmpfs */
	const char *share_src_dir;   /* NULL, or where share i is found: DIR/share<i> */
	const char *chan_dir;	     /* host side of BWRAP_CHAN_DIR */
	const char *self_exe;	     /* seam-run itself, for --sandbox-init */
	const char *agent_exe;	     /* seam-gui-agent */
	const char *audio_agent_exe; /* seam-audio-agent, or NULL without --audio */
	const char *xorg_driver;     /* seam_drv.so shown at BWRAP_XORG_DRIVER, or NULL */
	int info_fd;		     /* bwrap --info-fd */
	int resolv_fd;		     /* a resolv.conf to show as /etc/resolv.conf, or -1 */
	unsigned width, height;	     /* the guest screen */
};

struct bwrap_cmd {
	char **argv; /* NULL-terminated, every string malloc'd */
	int argc;
	int cap;
};

/* Builds the whole command line. Returns 0 or -ENOMEM. */
int bwrap_build(const struct bwrap_params *p, struct bwrap_cmd *c);

void bwrap_free(struct bwrap_cmd *c);

#endif
