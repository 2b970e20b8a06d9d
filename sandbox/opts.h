/* seam-run's options: the command line, the domain's config file, and the checks that turn them
 * into one validated struct run_opts. Nothing here starts a process. */
#ifndef SEAM_SANDBOX_OPTS_H
#define SEAM_SANDBOX_OPTS_H

#include <stdbool.h>

#include "common/domain.h"

/* --share may be given this often: each is a bind mount, and a domain needs few. */
#define OPTS_MAX_SHARES 16
/* The guest screen: at least something an application can use, at most the protocol's window. */
#define OPTS_MIN_W 64
#define OPTS_MIN_H 64
#define OPTS_MAX_W 16384
#define OPTS_MAX_H 6144

enum opts_mode {
	OPTS_RUN,  /* start a domain (or join a running one) and run COMMAND in it */
	OPTS_LIST, /* --list */
	OPTS_KILL, /* --kill NAME */
	OPTS_HELP, /* -h */
	OPTS_INIT, /* --sandbox-init: seam-run's own role inside the sandbox (internal) */
};

struct opts_share {
	char *path; /* absolute, symlinks resolved; malloc'd */
	bool ro;
};

struct run_opts {
	enum opts_mode mode;
	bool disposable;
	char name[DOMAIN_NAME_MAX + 1]; /* the domain (empty for a disposable until picked) */
	bool label_set;			/* --label was given (or the config file set it) */
	bool label_from_cmdline;
	struct domain_label label;
	bool net;
	bool net_from_cmdline;
	struct opts_share shares[OPTS_MAX_SHARES];
	int n_shares;
	int shares_from_cmdline;
	unsigned width, height; /* 0: the host screen's size */
	bool size_from_cmdline;
	bool audio;
	bool no_notifications; /* the daemon withholds the notify feature (--no-notifications) */
	bool no_notifications_from_cmdline;
	int verbose;
	char **argv; /* COMMAND [ARG...], pointing into main's argv */
	int argc;
};

/* Parses argv into o. Returns 0, or -errno (-EINVAL for a bad argument) with one line naming the
 * bad argument in why (why_len bytes), for the caller to print as a usage error. Names are checked
 * with domain_name_is_hostname(); a missing DIR of --share is reported here. */
int opts_parse(int argc, char **argv, struct run_opts *o, char *why, size_t why_len);

/* Reads ~/.config/seam/domains/NAME.conf ($XDG_CONFIG_HOME honoured) with common/config.c, if it
 * exists, for the settings the command line left unset: "label = L", "net = yes|no",
 * "share = DIR[:ro]", "size = WxH", "notifications = yes|no"; '#' starts a comment anywhere outside
 * double quotes. Returns 0, or -EINVAL with "FILE:LINE: key 'k': problem" (or the file's own error)
 * in why. */
int opts_load_config(struct run_opts *o, char *why, size_t why_len);

/* Fills what neither the command line nor the config file set: the label (red for a disposable,
 * gray for a named domain). */
void opts_defaults(struct run_opts *o);

/* "disp" followed by digits: the names of disposable domains. */
bool opts_name_is_disposable(const char *s);

/* Parses "WxH" within the limits above. Returns 0 or -1. */
int opts_parse_size(const char *s, unsigned *w, unsigned *h);

void opts_usage(void);

void opts_free(struct run_opts *o);

#endif
