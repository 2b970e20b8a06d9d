/* seam-run: run a command in a domain of its own (a bubblewrap sandbox with its own X server) and
 * show its windows on the user's display. This file picks the role: list, kill, join a running
 * domain, own a new one, or (inside the sandbox) be its init. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/check.h"
#include "sandbox/init.h"
#include "sandbox/join.h"
#include "sandbox/net.h"
#include "sandbox/opts.h"
#include "sandbox/owner.h"
#include "sandbox/proc.h"
#include "sandbox/registry.h"

/* Each program seam-run starts from its own directory. */
static int check_programs(const char *dir, bool audio)
{
	const char *need[] = {"seam-gui-daemon", "seam-gui-agent", "seam-audio-daemon",
			      "seam-audio-agent"};
	for (size_t i = 0; i < (audio ? 4u : 2u); i++) {
		char p[PATH_MAX];
		if (snprintf(p, sizeof(p), "%s/%s", dir, need[i]) >= (int)sizeof(p) ||
		    access(p, X_OK)) {
			fprintf(stderr,
				"seam-run: %s is missing (seam-run looks for it beside itself, "
				"in %s)\n",
				need[i], dir);
			return -1;
		}
	}
	return 0;
}

/* Everything a new domain needs, checked before anything starts. */
static int preflight(struct run_opts *o, const char *display, char *bwrap, size_t bsize,
		     char *bin_dir, size_t dsize)
{
	if (check_bwrap(bwrap, bsize) || check_userns(bwrap))
		return 1;
	unsigned w, h;
	if (check_host_display(display, &w, &h))
		return 1;
	if (!o->width) {
		o->width = w < OPTS_MIN_W ? OPTS_MIN_W : w > OPTS_MAX_W ? OPTS_MAX_W : w;
		o->height = h < OPTS_MIN_H ? OPTS_MIN_H : h > OPTS_MAX_H ? OPTS_MAX_H : h;
	}
	char why[300];
	if (o->net && net_check_host(display, why, sizeof(why))) {
		fprintf(stderr, "seam-run: --net refused: %s\n", why);
		return 1;
	}
	int rc = proc_exe_dir(bin_dir, dsize);
	if (rc) {
		fprintf(stderr, "seam-run: cannot find its own directory: %s\n", strerror(-rc));
		return 1;
	}
	return check_programs(bin_dir, o->audio) ? 1 : 0;
}

static int run(struct run_opts *o)
{
	long long started = proc_now_ms();
	const char *display = getenv("DISPLAY");
	if (!display || !*display) {
		fprintf(stderr, "seam-run: no DISPLAY: set it to the host X display where the "
				"domain's windows should appear\n");
		return 1;
	}
	if (!o->disposable) {
		int rc = opts_load_config(o);
		if (rc)
			return rc;
	}
	opts_defaults(o);
	char bwrap[PATH_MAX], bin_dir[PATH_MAX];
	bool checked = false;
	/* A named domain that runs is joined; one that ends while we join is started anew. */
	for (int attempt = 0; attempt < 5; attempt++) {
		struct registry_lock lock = {.fd = -1};
		int rc;
		if (o->disposable) {
			rc = registry_acquire_disposable(&lock);
		} else {
			rc = registry_acquire(o->name, &lock);
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
				return 1;
			}
		}
		if (rc) {
			fprintf(stderr, "seam-run: cannot register the domain under %s: %s\n",
				lock.dir[0] ? lock.dir : "the runtime directory", strerror(-rc));
			return 1;
		}
		if (!checked) {
			int bad =
			    preflight(o, display, bwrap, sizeof(bwrap), bin_dir, sizeof(bin_dir));
			if (bad) {
				check_host_display_close();
				registry_release(&lock);
				return bad;
			}
			checked = true;
		}
		struct owner_env env = {display, bwrap, bin_dir, started};
		int code = owner_run(o, &lock, &env);
		check_host_display_close();
		return code;
	}
	fprintf(stderr, "seam-run: the domain %s keeps starting and ending; try again\n", o->name);
	return 1;
}

int main(int argc, char **argv)
{
	static struct run_opts o;
	proc_std_fds();
	int rc = opts_parse(argc, argv, &o);
	if (rc)
		return rc;
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
