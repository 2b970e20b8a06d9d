/* seam-run's command line and the domain config file, checked into a struct run_opts. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/config.h"
#include "sandbox/opts.h"
#include "sandbox/paths.h"

/* What --label and the label key take. */
#define LABEL_CHOICES "red, orange, yellow, green, gray, blue, purple, black or 0xRRGGBB"

void opts_usage(void)
{
	printf(
	    "usage: DISPLAY=<host> seam-run [--domain NAME | --disposable] [--label LABEL] "
	    "[--net]\n"
	    "                [--share DIR[:ro]] [--size WxH] [--audio] [--no-notifications] [-v]\n"
	    "                -- COMMAND [ARG...]\n"
	    "       seam-run --list\n"
	    "       seam-run --kill NAME\n"
	    "Runs COMMAND in a domain of its own (a bubblewrap sandbox with its own X server) and\n"
	    "shows its windows on $DISPLAY, framed in the domain's label color.\n"
	    "\n"
	    "  --domain NAME    a named domain: its home persists in\n"
	    "                   ~/.local/share/seam/domains/NAME/home; joins NAME if it runs\n"
	    "  --disposable     a new domain disp<N> whose files vanish when COMMAND ends\n"
	    "                   (the default)\n"
	    "  --label LABEL    red, orange, yellow, green, gray, blue, purple, black or\n"
	    "                   0xRRGGBB (default: red for a disposable, else the config file's\n"
	    "                   or gray)\n"
	    "  --net            network access through a user-mode stack (pasta); without it\n"
	    "                   the domain has only loopback\n"
	    "  --share DIR[:ro] bind the host directory DIR at the same path (read-only with\n"
	    "                   :ro); may be repeated\n"
	    "  --size WxH       the guest screen (default: the host screen's size)\n"
	    "  --audio          forward audio (seam-audio-agent/-daemon)\n"
	    "  --no-notifications  do not show the domain's desktop notifications on the host\n"
	    "                   (by default they are, titled [NAME] and rate-limited)\n"
	    "  -v               tell what happens (twice: debug output of every part)\n"
	    "  --list           the running domains: name, label, kind, processes\n"
	    "  --kill NAME      end a running domain and everything in it\n"
	    "  -h, --help       this text\n"
	    "\n"
	    "A named domain's settings may be fixed in ~/.config/seam/domains/NAME.conf:\n"
	    "  label = blue\n  net = yes\n  share = /home/me/work\n  size = 1280x800\n"
	    "  notifications = no\n");
}

/* Writes the reason for a refused argument into why (why_len bytes) and returns -EINVAL. */
static int refuse(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

bool opts_name_is_disposable(const char *s)
{
	if (strncmp(s, "disp", 4) != 0 || !s[4])
		return false;
	for (const char *p = s + 4; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static int parse_dim(const char *s, const char **end, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9' && p - s < 6)
		v = v * 10 + (unsigned long)(*p++ - '0');
	if (p == s || v < min || v > max)
		return -1;
	*end = p;
	*out = (unsigned)v;
	return 0;
}

int opts_parse_size(const char *s, unsigned *w, unsigned *h)
{
	const char *p;
	unsigned ww, hh;
	if (parse_dim(s, &p, OPTS_MIN_W, OPTS_MAX_W, &ww) || *p != 'x' ||
	    parse_dim(p + 1, &p, OPTS_MIN_H, OPTS_MAX_H, &hh) || *p)
		return -1;
	*w = ww;
	*h = hh;
	return 0;
}

/* a is b or lies below it. */
static bool path_within(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (n == 1 && b[0] == '/')
		return true;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* A share must not carry a way to the host's session into the domain: the X, ICE, D-Bus and audio
 * sockets live in /tmp/.X11-unix, /tmp/.ICE-unix and the runtime directory, the X cookie in the
 * home. Returns false, or true with what the directory would expose in what (what_len bytes). */
static bool share_exposes(const char *p, char *what, size_t what_len)
{
	const char *inside[] = {"/proc", "/sys",	   "/dev",
				"/run",	 "/tmp/.X11-unix", "/tmp/.ICE-unix"};
	for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
		if (path_within(p, inside[i])) {
			snprintf(what, what_len, "%s", inside[i]);
			return true;
		}
	const char *covers[] = {"/tmp/.X11-unix", "/tmp/.ICE-unix", "/run", "/run/user"};
	for (size_t i = 0; i < sizeof(covers) / sizeof(covers[0]); i++)
		if (path_within(covers[i], p)) {
			snprintf(what, what_len, "%s", covers[i]);
			return true;
		}
	char real[PATH_MAX], runtime[PATH_MAX], data[PATH_MAX];
	const char *session[] = {getenv("XDG_RUNTIME_DIR"), getenv("XAUTHORITY"), paths_home(),
				 paths_seam_runtime(runtime, sizeof(runtime)) ? NULL : runtime,
				 paths_seam_data(data, sizeof(data)) ? NULL : data};
	for (size_t i = 0; i < sizeof(session) / sizeof(session[0]); i++) {
		if (!session[i] || !*session[i])
			continue;
		const char *s = realpath(session[i], real) ? real : session[i];
		if (path_within(s, p) || (i != 2 && path_within(p, s))) {
			snprintf(what, what_len, "%s", s);
			return true;
		}
	}
	return false;
}

/* "DIR" or "DIR:ro" (or "DIR:rw"). Returns 0, or -errno with the reason in why: "WHERE'DIR': ...",
 * where names the source ("--share " on the command line, "" in a config file, whose parser
 * names the key). */
static int add_share(struct run_opts *o, const char *arg, const char *where, char *why,
		     size_t why_len)
{
	if (o->n_shares == OPTS_MAX_SHARES)
		return refuse(why, why_len, "%s'%s': at most %d directories may be shared", where,
			      arg, OPTS_MAX_SHARES);
	char dir[PATH_MAX];
	size_t n = strlen(arg);
	bool ro = false;
	if (n >= PATH_MAX)
		return refuse(why, why_len, "%s'%.64s...': too long", where, arg);
	memcpy(dir, arg, n + 1);
	if (n > 3 && (strcmp(dir + n - 3, ":ro") == 0 || strcmp(dir + n - 3, ":rw") == 0)) {
		ro = dir[n - 1] == 'o';
		dir[n - 3] = '\0';
	}
	char real[PATH_MAX], what[PATH_MAX];
	struct stat st;
	if (!realpath(dir, real) || stat(real, &st)) {
		int e = errno;
		snprintf(why, why_len, "%s'%s': %s", where, dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode))
		return refuse(why, why_len, "%s'%s': not a directory", where, dir);
	if (strcmp(real, "/") == 0)
		return refuse(why, why_len, "%s'/': the whole file system cannot be shared", where);
	if (share_exposes(real, what, sizeof(what)))
		return refuse(why, why_len,
			      "%s'%s': refused, it would expose %s (the host's session: X, D-Bus, "
			      "audio sockets or the X cookie) to the domain",
			      where, dir, what);
	for (int i = 0; i < o->n_shares; i++)
		if (strcmp(o->shares[i].path, real) == 0)
			return 0;
	o->shares[o->n_shares].path = strdup(real);
	o->shares[o->n_shares].ro = ro;
	if (!o->shares[o->n_shares].path) {
		snprintf(why, why_len, "%s'%s': out of memory", where, dir);
		return -ENOMEM;
	}
	o->n_shares++;
	return 0;
}

enum {
	OPT_DOMAIN = 256,
	OPT_DISPOSABLE,
	OPT_LABEL,
	OPT_NET,
	OPT_SHARE,
	OPT_SIZE,
	OPT_AUDIO,
	OPT_NO_NOTIFICATIONS,
	OPT_LIST,
	OPT_KILL,
	OPT_INIT,
};

static int set_name(struct run_opts *o, const char *name, const char *opt, char *why,
		    size_t why_len)
{
	if (!domain_name_is_hostname(name))
		return refuse(why, why_len,
			      "%s '%s': a domain name is 1 to 32 of a-z, 0-9 and '-', not starting "
			      "with '-'",
			      opt, name);
	snprintf(o->name, sizeof(o->name), "%s", name);
	return 0;
}

int opts_parse(int argc, char **argv, struct run_opts *o, char *why, size_t why_len)
{
	static const struct option longopts[] = {
	    {"domain", required_argument, NULL, OPT_DOMAIN},
	    {"disposable", no_argument, NULL, OPT_DISPOSABLE},
	    {"label", required_argument, NULL, OPT_LABEL},
	    {"net", no_argument, NULL, OPT_NET},
	    {"share", required_argument, NULL, OPT_SHARE},
	    {"size", required_argument, NULL, OPT_SIZE},
	    {"audio", no_argument, NULL, OPT_AUDIO},
	    {"no-notifications", no_argument, NULL, OPT_NO_NOTIFICATIONS},
	    {"list", no_argument, NULL, OPT_LIST},
	    {"kill", required_argument, NULL, OPT_KILL},
	    {"sandbox-init", no_argument, NULL, OPT_INIT},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	*o = (struct run_opts){.mode = OPTS_RUN};
	bool domain = false, list = false, kill_ = false;
	int rc, ch;
	opterr = 0;
	/* '+': stop at COMMAND, so its own options are left to it. */
	while ((ch = getopt_long(argc, argv, "+:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DOMAIN:
			if ((rc = set_name(o, optarg, "--domain", why, why_len)))
				return rc;
			domain = true;
			break;
		case OPT_DISPOSABLE:
			o->disposable = true;
			break;
		case OPT_LABEL:
			if (domain_label_parse(optarg, &o->label))
				return refuse(why, why_len, "--label '%s': expected " LABEL_CHOICES,
					      optarg);
			o->label_set = o->label_from_cmdline = true;
			break;
		case OPT_NET:
			o->net = o->net_from_cmdline = true;
			break;
		case OPT_SHARE:
			if ((rc = add_share(o, optarg, "--share ", why, why_len)))
				return rc;
			o->shares_from_cmdline = o->n_shares;
			break;
		case OPT_SIZE:
			if (opts_parse_size(optarg, &o->width, &o->height))
				return refuse(
				    why, why_len, "--size '%s': expected WxH from %ux%u to %ux%u",
				    optarg, OPTS_MIN_W, OPTS_MIN_H, OPTS_MAX_W, OPTS_MAX_H);
			o->size_from_cmdline = true;
			break;
		case OPT_AUDIO:
			o->audio = true;
			break;
		case OPT_NO_NOTIFICATIONS:
			o->no_notifications = o->no_notifications_from_cmdline = true;
			break;
		case OPT_LIST:
			list = true;
			break;
		case OPT_KILL:
			if ((rc = set_name(o, optarg, "--kill", why, why_len)))
				return rc;
			kill_ = true;
			break;
		case OPT_INIT:
			o->mode = OPTS_INIT;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			o->mode = OPTS_HELP;
			return 0;
		case ':':
			return refuse(why, why_len, "%s needs an argument", argv[optind - 1]);
		default:
			return refuse(why, why_len, "unknown option '%s'", argv[optind - 1]);
		}
	}
	o->argv = argv + optind;
	o->argc = argc - optind;
	if (o->mode == OPTS_INIT)
		return 0;
	bool run_opts_given = domain || o->disposable || o->label_set || o->net || o->n_shares ||
			      o->width || o->audio || o->no_notifications;
	if (list || kill_) {
		if (list && kill_)
			return refuse(why, why_len, "--list and --kill exclude each other");
		if (run_opts_given || o->argc)
			return refuse(why, why_len, "%s takes no other options and no command",
				      list ? "--list" : "--kill");
		o->mode = list ? OPTS_LIST : OPTS_KILL;
		return 0;
	}
	if (domain && o->disposable)
		return refuse(why, why_len, "--domain and --disposable exclude each other");
	if (!domain)
		o->disposable = true;
	if (o->argc == 0)
		return refuse(why, why_len,
			      "no COMMAND given: seam-run [options] -- COMMAND [ARG...]");
	if (!o->argv[0][0])
		return refuse(why, why_len, "COMMAND is empty");
	return 0;
}

/* One "key = value" line of a domain's config file; the command line wins where it set the key. */
static int config_key(void *ctx, const char *key, const char *value, char *why, size_t why_len)
{
	struct run_opts *o = ctx;
	if (strcmp(key, "label") == 0) {
		struct domain_label l;
		if (domain_label_parse(value, &l))
			return refuse(why, why_len, "'%s': expected " LABEL_CHOICES, value);
		if (!o->label_from_cmdline) {
			o->label = l;
			o->label_set = true;
		}
	} else if (strcmp(key, "net") == 0) {
		bool yes;
		if (config_bool(value, &yes, why, why_len))
			return -EINVAL;
		if (!o->net_from_cmdline)
			o->net = yes;
	} else if (strcmp(key, "share") == 0) {
		return add_share(o, value, "", why, why_len);
	} else if (strcmp(key, "size") == 0) {
		unsigned w, h;
		if (opts_parse_size(value, &w, &h))
			return refuse(why, why_len, "'%s': expected WxH from %ux%u to %ux%u", value,
				      OPTS_MIN_W, OPTS_MIN_H, OPTS_MAX_W, OPTS_MAX_H);
		if (!o->size_from_cmdline) {
			o->width = w;
			o->height = h;
		}
	} else if (strcmp(key, "notifications") == 0) {
		bool yes;
		if (config_bool(value, &yes, why, why_len))
			return -EINVAL;
		if (!o->no_notifications_from_cmdline)
			o->no_notifications = !yes;
	} else {
		return refuse(why, why_len,
			      "not a setting of a domain (label, net, share, size, notifications)");
	}
	return 0;
}

int opts_load_config(struct run_opts *o, char *why, size_t why_len)
{
	char path[PATH_MAX];
	if (paths_config_file(o->name, path, sizeof(path)))
		return 0;
	if (config_parse_file(path, CONFIG_MISSING_OK | CONFIG_TRAILING_COMMENTS, config_key, o,
			      why, why_len))
		return -EINVAL;
	return 0;
}

void opts_defaults(struct run_opts *o)
{
	if (!o->label_set)
		domain_label_parse(o->disposable ? "red" : "gray", &o->label);
}

void opts_free(struct run_opts *o)
{
	for (int i = 0; i < o->n_shares; i++)
		free(o->shares[i].path);
	o->n_shares = 0;
}
