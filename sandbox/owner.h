/* The owner of a domain: the first seam-run that names it. It holds the registry lock, starts the
 * host daemon, the sandbox (bwrap) and pasta, runs its own command in the domain, brokers the
 * commands of joining seam-runs, and tears everything down at the end. */
#ifndef SEAM_SANDBOX_OWNER_H
#define SEAM_SANDBOX_OWNER_H

#include <stdint.h>

#include "sandbox/opts.h"
#include "sandbox/registry.h"

struct owner_env {
	const char *display; /* the host display */
	const char *bwrap;   /* bwrap's path */
	const char *bin_dir; /* where seam-run, seam-gui-daemon and seam-gui-agent are */
	int64_t started_ms;  /* when seam-run started, for -v timings */
};

/* Runs the domain whose lock l holds until it ends; releases the lock. o->width/height are set.
 * Returns seam-run's exit status: the command's, 128 + a signal that ended seam-run, or 1 (after
 * one line saying why). */
int owner_run(const struct run_opts *o, struct registry_lock *l, const struct owner_env *env);

#endif
