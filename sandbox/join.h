/* A second seam-run for a running domain: it asks the domain's owner to run its command there
 * (same sandbox, same X server, same daemon) and waits for that command's end. */
#ifndef SEAM_SANDBOX_JOIN_H
#define SEAM_SANDBOX_JOIN_H

#include "sandbox/opts.h"

/* join_run's answer when the domain ended before it could be joined: start it anew. */
#define JOIN_GONE (-1)

/* Runs o->argv in the running domain o->name. Returns the command's exit status (or 1 after one
 * line saying why), or JOIN_GONE. */
int join_run(const struct run_opts *o);

#endif
