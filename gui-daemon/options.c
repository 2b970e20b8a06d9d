/* seam-gui-daemon's options (gui-daemon/options.h). Each option is one key, set by the same code
 * from the configuration file or the command line. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/config.h"
#include "gui-daemon/options.h"
#include "shm/shmbuf.h"

#define PROG "seam-gui-daemon"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: seam-gui-daemon --name NAME --label LABEL --channel ADDRESS [options]\n"
	    "Shows one guest's windows on the host display, framed in the guest's label color.\n"
	    "\n"
	    "  --name NAME        the guest's name (letters, digits, _ . -; at most 32 bytes)\n"
	    "  --label LABEL      red, orange, yellow, green, gray, blue, purple, black or "
	    "0xRRGGBB\n"
	    "  --channel ADDRESS  unix:PATH (listen there) or vchan:DOMID:PORT (Xen)\n"
	    "  --display DISPLAY  the host X display (default: $DISPLAY)\n"
	    "  --config FILE      read options from FILE (default: %s/NAME.conf if it exists);\n"
	    "                     options given here override it\n"
	    "  --check-config     check the configuration and the options, then exit\n"
	    "  --max-windows N    most windows the guest may have (default %u)\n"
	    "  --max-shm MIB      most shared memory the guest may have mapped (default %llu)\n"
	    "  --max-fps N        most frames a second drawn per window (1 to %u, default %u)\n"
	    "  --copy-keys KEYS   copy the guest's clipboard (default Ctrl-Shift-c; none)\n"
	    "  --paste-keys KEYS  paste the inter-domain clipboard (default Ctrl-Shift-v; none)\n"
	    "  --clipboard-limit BYTES  largest copy (%u to %u, default %u)\n"
	    "  --runtime-dir DIR  where the inter-domain clipboard lives (default\n"
	    "                     $XDG_RUNTIME_DIR/seam, else /run/user/UID/seam or "
	    "/tmp/seam-UID)\n"
	    "  --no-mit-shm       draw through the X socket, not shared memory (e.g. for a\n"
	    "                     display forwarded over ssh)\n"
	    "  --allow-fullscreen let the guest's full-screen windows cover the whole screen,\n"
	    "                     the domain's frame too (default: the frame stays)\n"
	    "  --notifications yes|no  show the guest's desktop notifications, titled with its\n"
	    "                     name (default yes; an agent asks for them with --notifications)\n"
	    "  --log-level LEVEL  warning (default), info or debug\n"
	    "  -v                 more log output (twice: debug)\n"
	    "  -h, --help         this text\n",
	    OPTIONS_CONFIG_DIR, OPTIONS_DEFAULT_MAX_WINDOWS, SHMBUF_DEFAULT_MAX_BYTES >> 20,
	    OPTIONS_MAX_MAX_FPS, OPTIONS_DEFAULT_MAX_FPS, OPTIONS_MIN_CLIPBOARD_LIMIT,
	    PROTO_CLIPBOARD_MAX, OPTIONS_DEFAULT_CLIPBOARD_LIMIT);
}

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Set one option by its key (the long option's name, '-' or '_' alike). 0, or -1 with why (the
 * configuration parser's callback convention). */
static int set(struct options *o, const char *key, const char *value, char *why, size_t len)
{
	char k[32];
	snprintf(k, sizeof(k), "%s", key);
	for (char *c = k; *c; c++)
		if (*c == '-')
			*c = '_';
	uint64_t v;
	bool b;
	if (!strcmp(k, "label")) {
		if (domain_label_parse(value, &o->label))
			return fail(why, len,
				    "'%s': expected red, orange, yellow, green, gray, blue, "
				    "purple, black or 0xRRGGBB",
				    value);
	} else if (!strcmp(k, "channel")) {
		snprintf(o->channel_buf, sizeof(o->channel_buf), "%s", value);
		o->channel = o->channel_buf;
	} else if (!strcmp(k, "display")) {
		snprintf(o->display_buf, sizeof(o->display_buf), "%s", value);
		o->display = o->display_buf;
	} else if (!strcmp(k, "max_windows")) {
		if (config_uint(value, 1, 65536, &v, why, len))
			return -1;
		o->max_windows = (uint32_t)v;
	} else if (!strcmp(k, "max_shm")) {
		if (config_uint(value, 1, 1u << 20, &v, why, len))
			return -1;
		o->max_shm_bytes = v << 20;
	} else if (!strcmp(k, "max_fps")) {
		if (config_uint(value, 1, OPTIONS_MAX_MAX_FPS, &v, why, len))
			return -1;
		o->max_fps = (uint32_t)v;
	} else if (!strcmp(k, "copy_keys") || !strcmp(k, "paste_keys")) {
		if (keyseq_parse(value, k[0] == 'c' ? &o->copy_keys : &o->paste_keys))
			return fail(why, len,
				    "'%s': expected e.g. Ctrl-Shift-c (modifiers Ctrl, Shift, "
				    "Alt, Super and a letter or digit) or none",
				    value);
	} else if (!strcmp(k, "clipboard_limit")) {
		if (config_uint(value, OPTIONS_MIN_CLIPBOARD_LIMIT, PROTO_CLIPBOARD_MAX, &v, why,
				len))
			return -1;
		o->clipboard_limit = (uint32_t)v;
	} else if (!strcmp(k, "runtime_dir")) {
		if (value[0] != '/' || strlen(value) >= sizeof(o->runtime_dir))
			return fail(why, len, "'%s': expected an absolute path", value);
		snprintf(o->runtime_dir, sizeof(o->runtime_dir), "%s", value);
	} else if (!strcmp(k, "no_mit_shm")) {
		if (config_bool(value, &b, why, len))
			return -1;
		o->no_mit_shm = b;
	} else if (!strcmp(k, "allow_fullscreen")) {
		if (config_bool(value, &b, why, len))
			return -1;
		o->allow_fullscreen = b;
	} else if (!strcmp(k, "notifications")) {
		if (config_bool(value, &b, why, len))
			return -1;
		o->notifications = b;
	} else if (!strcmp(k, "log_level")) {
		if (!strcmp(value, "warning"))
			o->verbose = 0;
		else if (!strcmp(value, "info"))
			o->verbose = 1;
		else if (!strcmp(value, "debug"))
			o->verbose = 2;
		else
			return fail(why, len, "'%s': expected warning, info or debug", value);
	} else if (!strncmp(k, "audio_", 6) || !strcmp(k, "allow_mic")) {
		/* The audio daemon's keys in the same guest file: not ours to check. */
	} else {
		return fail(why, len, "unknown key");
	}
	return 0;
}

static int config_set(void *ctx, const char *key, const char *value, char *why, size_t len)
{
	if (!strcmp(key, "name"))
		return fail(why, len, "the name is the file's (NAME.conf) or --name's, not a key");
	return set(ctx, key, value, why, len);
}

/* A usage error: one line on stderr, and -EINVAL for options_parse() to return. */
static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad(const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cli_usage_error(PROG, "%s", what);
	return -EINVAL;
}

static void defaults(struct options *o)
{
	*o = (struct options){
	    .max_windows = OPTIONS_DEFAULT_MAX_WINDOWS,
	    .max_shm_bytes = SHMBUF_DEFAULT_MAX_BYTES,
	    .max_fps = OPTIONS_DEFAULT_MAX_FPS,
	    .clipboard_limit = OPTIONS_DEFAULT_CLIPBOARD_LIMIT,
	    .notifications = true,
	};
	keyseq_parse("Ctrl-Shift-c", &o->copy_keys);
	keyseq_parse("Ctrl-Shift-v", &o->paste_keys);
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char userdir[64];
	snprintf(userdir, sizeof(userdir), "/run/user/%u", (unsigned)getuid());
	if (runtime && *runtime)
		snprintf(o->runtime_dir, sizeof(o->runtime_dir), "%s/seam", runtime);
	else if (access(userdir, W_OK) == 0)
		snprintf(o->runtime_dir, sizeof(o->runtime_dir), "%s/seam", userdir);
	else
		snprintf(o->runtime_dir, sizeof(o->runtime_dir), "/tmp/seam-%u",
			 (unsigned)getuid());
}

int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"config", required_argument, NULL, 'F'},
	    {"check-config", no_argument, NULL, 'K'},
	    {"label", required_argument, NULL, 'o'},
	    {"channel", required_argument, NULL, 'o'},
	    {"display", required_argument, NULL, 'o'},
	    {"max-windows", required_argument, NULL, 'o'},
	    {"max-shm", required_argument, NULL, 'o'},
	    {"max-fps", required_argument, NULL, 'o'},
	    {"copy-keys", required_argument, NULL, 'o'},
	    {"paste-keys", required_argument, NULL, 'o'},
	    {"clipboard-limit", required_argument, NULL, 'o'},
	    {"runtime-dir", required_argument, NULL, 'o'},
	    {"log-level", required_argument, NULL, 'o'},
	    {"no-mit-shm", no_argument, NULL, 'o'},
	    {"allow-fullscreen", no_argument, NULL, 'o'},
	    {"notifications", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL;
	bool check = false;
	defaults(o);
	/* First pass: what decides which configuration file to read. optind 0 makes getopt start
	 * afresh, whatever an earlier parse left behind. */
	opterr = 0;
	optind = 0;
	int ch, idx;
	while ((ch = getopt_long(argc, argv, "hv", longopts, &idx)) != -1) {
		if (ch == 'n')
			o->name = optarg;
		else if (ch == 'F')
			config = optarg;
		else if (ch == 'K')
			check = true;
		else if (ch == 'h') {
			usage(stdout);
			return 1;
		} else if (ch == '?' || ch == ':')
			return bad("unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!o->name)
		return bad("--name is required");
	if (!domain_name_valid(o->name))
		return bad(
		    "--name '%s': 1 to 32 letters, digits, _ . -, starting with a letter or a "
		    "digit",
		    o->name);
	char path[256], err[512];
	if (!config)
		snprintf(path, sizeof(path), "%s/%s.conf", OPTIONS_CONFIG_DIR, o->name);
	else
		snprintf(path, sizeof(path), "%s", config);
	if (config_parse_file(path, config ? 0 : CONFIG_MISSING_OK, config_set, o, err,
			      sizeof(err))) {
		cli_error(PROG, "%s", err);
		return -EINVAL;
	}
	/* Second pass: the command line overrides the file. */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "hv", longopts, &idx)) != -1) {
		char why[256];
		if (ch == 'v')
			o->verbose++;
		else if (ch == 'o' &&
			 set(o, longopts[idx].name, optarg ? optarg : "yes", why, sizeof(why)))
			return bad("--%s %s", longopts[idx].name, why);
	}
	if (!o->label.name[0])
		return bad("--label is required (on the command line or in %s)", path);
	if (!o->channel)
		return bad("--channel is required (on the command line or in %s)", path);
	if (check) {
		printf("seam-gui-daemon: configuration of '%s' is valid (label %s, channel %s)\n",
		       o->name, o->label.name, o->channel);
		return 1;
	}
	return 0;
}
