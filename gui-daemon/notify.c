/* Desktop notifications on the host (gui-daemon/notify.h): a D-Bus call, and a guest's notifications
 * cleaned, titled and rate-limited. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

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

/* The user's session bus: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus where that is a
 * socket (sd-bus would not start a bus of its own either way). Connected for one notification and
 * closed again: notifications are rare (a guest's are rate-limited), and the daemon keeps no
 * connection a bus restart would break. */
static int open_session_bus(sd_bus **out)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	char path[256];
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (!addr && run &&
	    (size_t)snprintf(path, sizeof(path), "unix:path=%s/bus", run) < sizeof(path)) {
		if (stat(path + strlen("unix:path="), &st) == 0 && S_ISSOCK(st.st_mode))
			addr = path;
	}
	if (!addr)
		return -ENOENT;
	sd_bus *bus = NULL;
	int rc = sd_bus_new(&bus);
	if (rc >= 0)
		rc = sd_bus_set_address(bus, addr);
	if (rc >= 0)
		rc = sd_bus_set_bus_client(bus, 1);
	if (rc >= 0)
		rc = sd_bus_start(bus);
	if (rc < 0) {
		sd_bus_unref(bus);
		return rc;
	}
	*out = bus;
	return 0;
}

/* Write what is queued, for at most NOTIFY_BUS_MS: a bus that does not read cannot hold the
 * daemon's loop. */
static int flush_bounded(sd_bus *bus)
{
	int64_t deadline = mono_ms() + NOTIFY_BUS_MS;
	for (;;) {
		uint64_t queued = 0;
		int rc = sd_bus_get_n_queued_write(bus, &queued);
		if (rc < 0 || queued == 0)
			return rc;
		while ((rc = sd_bus_process(bus, NULL)) > 0)
			;
		if (rc < 0)
			return rc;
		int64_t left = deadline - mono_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		rc = sd_bus_wait(bus, (uint64_t)left * 1000u);
		if (rc < 0)
			return rc;
	}
}

/* org.freedesktop.Notifications.Notify, sent straight to the user's notification server: no
 * program is run for it (the daemon's seccomp filter allows no execve). No reply is awaited. */
void notify_send(const char *app, const char *summary, const char *body)
{
	sd_bus *bus = NULL;
	if (open_session_bus(&bus))
		return;
	sd_bus_message *m = NULL;
	int rc = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.Notifications",
						"/org/freedesktop/Notifications",
						"org.freedesktop.Notifications", "Notify");
	/* app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout */
	if (rc >= 0)
		rc = sd_bus_message_append(m, "susssasa{sv}i", app, (uint32_t)0, "", summary, body,
					   0, 0, (int32_t)-1);
	if (rc >= 0)
		rc = sd_bus_message_set_expect_reply(m, 0);
	if (rc >= 0)
		rc = sd_bus_send(bus, m, NULL);
	if (rc >= 0)
		rc = flush_bounded(bus);
	if (rc < 0)
		log_info("notify: the session bus took no notification: %s", strerror(-rc));
	sd_bus_message_unref(m);
	sd_bus_close_unref(bus);
}
