/* The guest's desktop notification server (gui-agent/notify.h), on sd-bus. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "common/log.h"
#include "common/mono.h"
#include "gui-agent/notify.h"

#define NAME  "org.freedesktop.Notifications"
#define PATH  "/org/freedesktop/Notifications"
#define IFACE "org.freedesktop.Notifications"
/* NotificationClosed's reason: closed by a call to CloseNotification (the specification's 3). */
#define CLOSED_BY_CALL 3u
/* RequestName's answer when the name is ours (the specification's PRIMARY_OWNER). */
#define PRIMARY_OWNER 1u
/* Messages handled per turn of the loop, so that a flooding application cannot starve the
 * windows. */
#define NOTIFY_MSGS_PER_TURN 64

struct notify {
	struct link *link;
	sd_bus *bus;
	sd_bus_slot *object;
	sd_bus_slot *request; /* a RequestName in flight */
	bool owned;	      /* the name is ours (or asked for) */
	uint32_t last_id;
};

/* The first len bytes of s, or fewer, ending at a character's boundary (s is UTF-8, as D-Bus
 * strings are). */
static uint32_t cut(const char *s, uint32_t max)
{
	size_t len = strlen(s);
	if (len <= max)
		return (uint32_t)len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static void forward(struct notify *n, const char *app, const char *summary, const char *body)
{
	if (!link_ready(n->link) || !link_seam_feature(n->link, PROTO_SEAM_FEATURE_NOTIFY))
		return;
	uint8_t text[PROTO_NOTIFY_MAX_APP + PROTO_NOTIFY_MAX_SUMMARY + PROTO_NOTIFY_MAX_BODY];
	struct proto_msg m = {.type = PROTO_MSG_SEAM_NOTIFY};
	m.u.notify = (struct proto_seam_notify){cut(app, PROTO_NOTIFY_MAX_APP),
						cut(summary, PROTO_NOTIFY_MAX_SUMMARY),
						cut(body, PROTO_NOTIFY_MAX_BODY)};
	memcpy(text, app, m.u.notify.app_len);
	memcpy(text + m.u.notify.app_len, summary, m.u.notify.summary_len);
	memcpy(text + m.u.notify.app_len + m.u.notify.summary_len, body, m.u.notify.body_len);
	m.data = text;
	m.data_len = m.u.notify.app_len + m.u.notify.summary_len + m.u.notify.body_len;
	link_send(n->link, &m, NULL, 0);
}

static int method_notify(sd_bus_message *m, void *ctx, sd_bus_error *err)
{
	struct notify *n = ctx;
	const char *app, *icon, *summary, *body;
	uint32_t replaces;
	(void)err;
	int rc = sd_bus_message_read(m, "susss", &app, &replaces, &icon, &summary, &body);
	if (rc < 0)
		return rc;
	forward(n, app, summary, body);
	/* A replacement keeps its id (the host shows it as a new notification). */
	uint32_t id = replaces;
	if (!id && !(id = ++n->last_id))
		id = ++n->last_id;
	return sd_bus_reply_method_return(m, "u", id);
}

static int method_capabilities(sd_bus_message *m, void *ctx, sd_bus_error *err)
{
	(void)ctx, (void)err;
	sd_bus_message *reply;
	int rc = sd_bus_message_new_method_return(m, &reply);
	if (rc < 0)
		return rc;
	/* Markup is understood in that the host strips it (and shows &lt; as a lookalike): a client
	 * that knows this escapes its plain '<' instead of losing it. */
	rc = sd_bus_message_append_strv(reply, (char *[]){"body", "body-markup", NULL});
	if (rc >= 0)
		rc = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return rc;
}

static int method_info(sd_bus_message *m, void *ctx, sd_bus_error *err)
{
	(void)ctx, (void)err;
	return sd_bus_reply_method_return(m, "ssss", "Seam", "Seam", "1", "1.2");
}

static int method_close(sd_bus_message *m, void *ctx, sd_bus_error *err)
{
	struct notify *n = ctx;
	uint32_t id;
	(void)err;
	int rc = sd_bus_message_read(m, "u", &id);
	if (rc < 0)
		return rc;
	/* The host's copy stays until it times out: nothing travels back. */
	sd_bus_emit_signal(n->bus, PATH, IFACE, "NotificationClosed", "uu", id, CLOSED_BY_CALL);
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Notify", "susssasa{sv}i", "u", method_notify, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("GetCapabilities", "", "as", method_capabilities, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("GetServerInformation", "", "ssss", method_info, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_METHOD("CloseNotification", "u", "", method_close, SD_BUS_VTABLE_UNPRIVILEGED),
    SD_BUS_SIGNAL("NotificationClosed", "uu", 0),
    SD_BUS_SIGNAL("ActionInvoked", "us", 0),
    SD_BUS_VTABLE_END,
};

int notify_create(struct link *link, struct notify **out, char *why, size_t why_len)
{
	*out = NULL;
	struct notify *n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->link = link;
	int rc = sd_bus_open_user(&n->bus);
	if (rc >= 0)
		rc = sd_bus_add_object_vtable(n->bus, &n->object, PATH, IFACE, vtable, n);
	if (rc < 0) {
		snprintf(why, why_len, "no session bus to serve notifications on: %s",
			 strerror(-rc));
		notify_destroy(n);
		return rc;
	}
	*out = n;
	return 0;
}

void notify_destroy(struct notify *n)
{
	if (!n)
		return;
	sd_bus_slot_unref(n->request);
	sd_bus_slot_unref(n->object);
	sd_bus_flush_close_unref(n->bus);
	free(n);
}

static int requested(sd_bus_message *reply, void *ctx, sd_bus_error *err)
{
	struct notify *n = ctx;
	(void)err;
	n->request = sd_bus_slot_unref(n->request);
	uint32_t result = 0;
	if (sd_bus_message_is_method_error(reply, NULL) ||
	    sd_bus_message_read(reply, "u", &result) < 0 || result != PRIMARY_OWNER) {
		/* Another notification server of the guest's runs: it keeps the name. */
		log_warn("notifications: %s is taken on the guest's session bus: not forwarded",
			 NAME);
		n->owned = false;
		return 0;
	}
	log_info("notifications: serving %s on the guest's session bus", NAME);
	return 0;
}

void notify_link_seam(struct notify *n)
{
	if (!n || !n->bus)
		return;
	bool agreed = link_seam_feature(n->link, PROTO_SEAM_FEATURE_NOTIFY);
	if (agreed && !n->owned) {
		n->owned = true;
		/* Flags 0: never replace an owner, never wait in its queue. */
		if (sd_bus_request_name_async(n->bus, &n->request, NAME, 0, requested, n) < 0)
			n->owned = false;
	} else if (!agreed) {
		if (!n->owned)
			log_info("notifications: the daemon does not take them");
		notify_link_down(n);
	}
}

void notify_link_down(struct notify *n)
{
	if (!n || !n->bus || !n->owned)
		return;
	n->request = sd_bus_slot_unref(n->request);
	sd_bus_release_name_async(n->bus, NULL, NAME, NULL, NULL);
	n->owned = false;
}

void notify_pollfd(const struct notify *n, struct pollfd *p)
{
	*p = (struct pollfd){.fd = -1};
	if (!n || !n->bus)
		return;
	int events = sd_bus_get_events(n->bus);
	if (events < 0)
		return;
	*p = (struct pollfd){.fd = sd_bus_get_fd(n->bus), .events = (short)events};
}

int notify_timeout_ms(const struct notify *n)
{
	uint64_t usec;
	if (!n || !n->bus || sd_bus_get_timeout(n->bus, &usec) < 0 || usec == UINT64_MAX)
		return -1;
	uint64_t now = (uint64_t)mono_us();
	return usec <= now ? 0 : (int)((usec - now + 999u) / 1000u);
}

void notify_dispatch(struct notify *n)
{
	if (!n || !n->bus)
		return;
	for (int i = 0; i < NOTIFY_MSGS_PER_TURN; i++) {
		int rc = sd_bus_process(n->bus, NULL);
		if (rc == 0)
			return;
		if (rc < 0) {
			log_warn("notifications: the guest's session bus failed: %s; not served "
				 "any more",
				 strerror(-rc));
			n->request = sd_bus_slot_unref(n->request);
			n->object = sd_bus_slot_unref(n->object);
			n->bus = sd_bus_flush_close_unref(n->bus);
			return;
		}
	}
}
