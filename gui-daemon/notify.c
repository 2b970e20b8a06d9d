/* Desktop notifications on the host (gui-daemon/notify.h): notify-send, and a guest's notifications
 * cleaned, titled and rate-limited. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/domain.h"
#include "common/log.h"
#include "common/mono.h"
#include "gui-daemon/notify.h"

struct notify {
	char name[DOMAIN_NAME_MAX + 1];
	/* The rate: the time at which the guest's budget would be whole again (a token bucket kept
	 * as one time); past it, nothing is owed. */
	int64_t full_at_ms;
	unsigned suppressed; /* since the last report */
	int64_t report_at_ms;
};

int notify_create(const char *name, struct notify **out)
{
	struct notify *n = calloc(1, sizeof(*n));
	*out = n;
	if (!n)
		return -ENOMEM;
	snprintf(n->name, sizeof(n->name), "%s", name);
	return 0;
}

void notify_destroy(struct notify *n)
{
	free(n);
}

/* One more notification now, if the budget allows it. */
static bool take(struct notify *n, int64_t now)
{
	const int64_t window = (int64_t)NOTIFY_BURST * NOTIFY_INTERVAL_MS;
	int64_t start = n->full_at_ms > now ? n->full_at_ms : now;
	if (start + NOTIFY_INTERVAL_MS - now > window)
		return false;
	n->full_at_ms = start + NOTIFY_INTERVAL_MS;
	return true;
}

void notify_guest(struct notify *n, const struct proto_seam_notify *m, const uint8_t *text)
{
	int64_t now = mono_ms();
	if (!take(n, now)) {
		if (n->suppressed++ == 0)
			log_warn(
			    "notify: '%s' sends more than %d notifications in %d s: suppressing "
			    "them",
			    n->name, NOTIFY_BURST, NOTIFY_BURST * NOTIFY_INTERVAL_MS / 1000);
		/* Reported once one would be shown again. */
		n->report_at_ms = n->full_at_ms - (int64_t)(NOTIFY_BURST - 1) * NOTIFY_INTERVAL_MS;
		return;
	}
	char app[PROTO_NOTIFY_MAX_APP + 1], summary[PROTO_NOTIFY_MAX_SUMMARY + 1],
	    body[PROTO_NOTIFY_MAX_BODY + 1];
	if (!text) /* a message without texts has no text to point into */
		text = (const uint8_t *)"";
	proto_notify_clean(text, m->app_len, false, app, sizeof(app));
	proto_notify_clean(text + m->app_len, m->summary_len, false, summary, sizeof(summary));
	proto_notify_clean(text + m->app_len + m->summary_len, m->body_len, true, body,
			   sizeof(body));
	char title[sizeof(n->name) + sizeof(summary) + 4], from[sizeof(n->name) + sizeof(app) + 4];
	snprintf(title, sizeof(title), "[%s]%s%s", n->name, summary[0] ? " " : "", summary);
	snprintf(from, sizeof(from), "[%s]%s%s", n->name, app[0] ? " " : "", app);
	/* The texts are the guest's: only their sizes are logged. */
	log_info("notify: a notification from '%s' (%zu + %zu bytes)", n->name, strlen(summary),
		 strlen(body));
	notify_send(from, title, body);
}

int notify_timeout_ms(const struct notify *n)
{
	if (!n->suppressed)
		return -1;
	int64_t left = n->report_at_ms - mono_ms();
	return left < 0 ? 0 : (int)left;
}

void notify_tick(struct notify *n)
{
	if (!n->suppressed || mono_ms() < n->report_at_ms)
		return;
	log_warn("notify: %u notifications from '%s' suppressed", n->suppressed, n->name);
	n->suppressed = 0;
}

/* notify-send runs by its absolute path with a minimal environment: neither the daemon's PATH nor
 * anything else of its environment decides what runs or how. With no DBUS_SESSION_BUS_ADDRESS and
 * no $XDG_RUNTIME_DIR/bus there is no notification, or GLib would start a bus of its own
 * (dbus-launch). It runs under the daemon's seccomp filter (common/sysfilter.c), which allows it.
 * "--" ends its options: a text starting with '-' is text. */
void notify_send(const char *app, const char *summary, const char *body)
{
	static const char notify_send[] = "/usr/bin/notify-send";
	static const char *const kept[] = {"DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
					   "HOME"};
	char vars[4][512], *envp[5];
	size_t n = 0;
	bool bus = false;
	for (size_t i = 0; i < 4; i++) {
		const char *v = getenv(kept[i]);
		if (!v || (size_t)snprintf(vars[n], sizeof(vars[n]), "%s=%s", kept[i], v) >=
			      sizeof(vars[n]))
			continue;
		bus |= i == 1;
		envp[n] = vars[n];
		n++;
	}
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	char path[sizeof(vars[0]) - 40]; /* room for "DBUS_SESSION_BUS_ADDRESS=unix:path=" */
	if (!bus && run && (size_t)snprintf(path, sizeof(path), "%s/bus", run) < sizeof(path) &&
	    stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		snprintf(vars[n], sizeof(vars[n]), "DBUS_SESSION_BUS_ADDRESS=unix:path=%s", path);
		envp[n] = vars[n];
		n++;
		bus = true;
	}
	envp[n] = NULL;
	if (!bus || access(notify_send, X_OK))
		return;
	/* The child starts with the signals the daemon takes through its signalfd unblocked, and
	 * SIGCHLD and SIGPIPE, which the daemon ignores, at their defaults. */
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGCHLD);
	sigaddset(&defaults, SIGPIPE);
	if (posix_spawnattr_init(&attr))
		return;
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	char app_opt[sizeof("--app-name=") + PROTO_NOTIFY_MAX_APP + DOMAIN_NAME_MAX + 8];
	snprintf(app_opt, sizeof(app_opt), "--app-name=%s", app);
	char *argv[] = {"notify-send", app_opt, "--", (char *)summary, (char *)body, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, notify_send, NULL, &attr, argv, envp); /* SIGCHLD is ignored */
	posix_spawnattr_destroy(&attr);
	if (rc)
		log_info("notify: cannot run %s: %s", notify_send, strerror(rc));
}
