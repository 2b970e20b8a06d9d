/* seam-run --sandbox-init: the domain's PID 1 (see init.c). */
#ifndef SEAM_SANDBOX_INIT_H
#define SEAM_SANDBOX_INIT_H

#include "sandbox/opts.h"

/* Runs the domain until the owner says STOP or goes away. The control socket is BWRAP_INIT_FD.
 * Returns the exit status. */
int init_main(const struct run_opts *o);

#endif
