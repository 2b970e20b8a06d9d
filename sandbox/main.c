/* seam-run: run a command in a domain of its own (a bubblewrap sandbox with its own X server) and
 * show its windows on the user's display. This file picks the role: list, kill, join a running
 * domain, own a new one, or (inside the sandbox) be its init. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/mono.h"
#include "sandbox/check.h"
#include "sandbox/init.h"
#include "sandbox/join.h"
#include "sandbox/net.h"
#include "sandbox/opts.h"
#include "sandbox/owner.h"
#include "sandbox/proc.h"
#include "sandbox/registry.h"

/* The exit status of a domain that could not start (a usage error is CLI_USAGE_STATUS). */
#define RUN_FAILED 1

/* Each program seam-run starts from its own directory. */
static int check_programs(const char *dir, bool audio, char *why, size_t why_len)
{
	const char *need[] = {"seam-gui-daemon", "seam-gui-agent", "seam-audio-daemon",
			      "seam-audio-agent"};
	for (size_t i = 0; i < (audio ? 4u : 2u); i++) {
		char p[PATH_MAX];
		if (snprintf(p, sizeof(p), "%s/%s", dir, need[i]) >= (int)sizeof(p) ||
		    access(p, X_OK)) {
			snprintf(why, why_len,
				 "%s is missing (seam-run looks for it beside itself, in %s)",
				 need[i], dir);
			return -ENOENT;
		}
	}
	return 0;
}

/* Everything a new domain needs, checked before anything starts. Returns 0 with the host
 * display's connection in *host_x (see check_host_display), or -errno with the reason in why. */
static int preflight(struct run_opts *o, const char *display, xcb_connection_t **host_x,
		     char *bwrap, size_t bsize, char *bin_dir, size_t dsize, char *why,
		     size_t why_len)
{
	int rc = check_bwrap(bwrap, bsize, why, why_len);
	if (!rc)
		rc = check_userns(bwrap, why, why_len);
	unsigned w, h;
	if (!rc)
		rc = check_host_display(display, host_x, &w, &h, why, why_len);
	if (rc)
		return rc;
	if (!o->width) {
		o->width = w < OPTS_MIN_W ? OPTS_MIN_W : w > OPTS_MAX_W ? OPTS_MAX_W : w;
		o->height = h < OPTS_MIN_H ? OPTS_MIN_H : h > OPTS_MAX_H ? OPTS_MAX_H : h;
	}
	char net_why[300];
	if (o->net && net_check_host(display, net_why, sizeof(net_why))) {
		snprintf(why, why_len, "--net refused: %s", net_why);
		rc = -EPERM;
	} else if ((rc = proc_exe_dir(bin_dir, dsize))) {
		snprintf(why, why_len, "cannot find its own directory: %s", strerror(-rc));
	} else {
		rc = check_programs(bin_dir, o->audio, why, why_len);
	}
	if (rc) {
		xcb_disconnect(*host_x);
		*host_x = NULL;
	}
	return rc;
}

static int run(struct run_opts *o)
{
	int64_t started = mono_ms();
	char why[PATH_MAX + 512];
	const char *display = getenv("DISPLAY");
	if (!display || !*display) {
		fprintf(stderr, "seam-run: no DISPLAY: set it to the host X display where the "
				"domain's windows should appear\n");
		return RUN_FAILED;
	}
	if (!o->disposable && opts_load_config(o, why, sizeof(why)))
		return cli_error("seam-run", "%s", why);
	opts_defaults(o);
	char bwrap[PATH_MAX], bin_dir[PATH_MAX];
	xcb_connection_t *host_x = NULL;
	/* A named domain that runs is joined; one that ends while we join is started anew. */
	for (int attempt = 0; attempt < 5; attempt++) {
		struct registry_lock lock = {.fd = -1};
		int rc;
		if (o->disposable) {
			rc = registry_acquire_disposable(&lock, why, sizeof(why));
		} else {
			rc = registry_acquire(o->name, &lock, why, sizeof(why));
			if (rc == -EBUSY) {
				int code = join_run(o);
				if (code != JOIN_GONE)
					return code;
				continue;
			}
			if (rc == 0 && opts_name_is_disposable(o->name)) {
				registry_release(&lock);
				fprintf(stderr,
					"seam-run: --domain %s: no such domain runs (names "
					"disp<N> belong to disposable domains)\n",
					o->name);
				return RUN_FAILED;
			}
		}
		if (rc) {
			fprintf(stderr, "seam-run: cannot register the domain: %s\n", why);
			return RUN_FAILED;
		}
		if (!host_x && preflight(o, display, &host_x, bwrap, sizeof(bwrap), bin_dir,
					 sizeof(bin_dir), why, sizeof(why))) {
			fprintf(stderr, "seam-run: %s\n", why);
			registry_release(&lock);
			return RUN_FAILED;
		}
		struct owner_env env = {display, bwrap, bin_dir, started};
		int code = owner_run(o, &lock, &env);
		xcb_disconnect(host_x);
		return code;
	}
	if (host_x)
		xcb_disconnect(host_x);
	fprintf(stderr, "seam-run: the domain %s keeps starting and ending; try again\n", o->name);
	return RUN_FAILED;
}

int main(int argc, char **argv)
{
	struct run_opts o;
	char why[PATH_MAX + 512];
	proc_std_fds();
	int rc = opts_parse(argc, argv, &o, why, sizeof(why));
	if (rc) {
		opts_free(&o);
		return cli_usage_error("seam-run", "%s", why);
	}
	switch (o.mode) {
	case OPTS_HELP:
		opts_usage();
		return 0;
	case OPTS_INIT:
		return init_main(&o);
	case OPTS_LIST:
		return registry_list(stdout);
	case OPTS_KILL:
		return registry_kill(o.name);
	case OPTS_RUN:
		break;
	}
	rc = run(&o);
	opts_free(&o);
	return rc;
}
