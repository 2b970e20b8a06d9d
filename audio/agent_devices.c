/* The devices the agent adds to the guest's PulseAudio, and watching them: a null sink made the
 * default (its monitor is what the host hears), and a microphone source (a remap of a second null
 * sink's monitor, into which the agent plays the host's microphone) made the default source.
 *
 * Which guest streams play, and whether anything records, comes from PulseAudio's subscription
 * events, so the agent wakes up only when that changes.
 */
#include <stdio.h>
#include <string.h>

#include "audio/agent.h"
#include "common/log.h"

struct device {
	bool source;
	const char *name;
	const char *module;
	const char *args;
	bool rate; /* append rate=RATE to args */
};

/* seam.agent=1 marks devices an agent loaded, so that one restarted after a crash takes over (and
 * later unloads) the leftovers instead of failing on the names, but leaves alone a device of the
 * same name the guest's administrator configured. */
static const struct device devices[] = {
    {false, AGENT_SINK, "module-null-sink",
     "sink_name=" AGENT_SINK " format=s16le channels=2 "
     "sink_properties='device.description=\"Host audio (Seam)\" seam.agent=1'",
     true},
    {false, AGENT_MIC_SINK, "module-null-sink",
     "sink_name=" AGENT_MIC_SINK " format=s16le channels=2 "
     "sink_properties='device.description=\"Seam microphone feed (internal)\" seam.agent=1'",
     true},
    {true, AGENT_MIC, "module-remap-source",
     "source_name=" AGENT_MIC " master=" AGENT_MIC_SINK ".monitor "
     "source_properties='device.description=\"Host microphone (Seam)\" seam.agent=1'",
     false},
};

#define N_DEVICES (sizeof(devices) / sizeof(devices[0]))
_Static_assert(N_DEVICES == sizeof(((struct agent *)0)->owned_modules) / sizeof(uint32_t),
	       "one owned module slot per device");

static void setup_next(struct agent *a);
static void scan_inputs(struct agent *a);

static void op_done(pa_operation *o)
{
	if (o)
		pa_operation_unref(o);
}

/* ---- Ensuring the devices, one after the other
 * --------------------------------------------------- */

static void found(struct agent *a, uint32_t index, uint32_t owner, const pa_proplist *pl)
{
	const struct device *dev = &devices[a->setup_step];
	if (strcmp(dev->name, AGENT_SINK) == 0)
		a->sink_index = index;
	else if (strcmp(dev->name, AGENT_MIC) == 0)
		a->mic_index = index;
	if (a->owned_modules[a->setup_step] == PA_INVALID_INDEX) {
		const char *mark = pa_proplist_gets(pl, "seam.agent");
		if (mark && strcmp(mark, "1") == 0 && owner != PA_INVALID_INDEX) {
			a->owned_modules[a->setup_step] = owner;
			log_info("took over %s, left by an earlier agent", dev->name);
		}
	}
	a->setup_step++;
	setup_next(a);
}

static void loaded_cb(pa_context *c, uint32_t idx, void *userdata)
{
	struct agent *a = userdata;
	const struct device *dev = &devices[a->setup_step];
	if (idx == PA_INVALID_INDEX) {
		log_error("cannot load %s for %s: %s", dev->module, dev->name,
			  pa_strerror(pa_context_errno(c)));
		return; /* no devices, nothing to forward: the next server (re)start tries again */
	}
	a->owned_modules[a->setup_step] = idx;
	log_info("loaded %s (module %u)", dev->name, idx);
	setup_next(a); /* look it up again, for its index */
}

static void missing(struct agent *a)
{
	const struct device *dev = &devices[a->setup_step];
	if (a->owned_modules[a->setup_step] != PA_INVALID_INDEX) {
		log_error("%s is missing although its module was loaded", dev->name);
		return;
	}
	char args[512];
	if (dev->rate)
		snprintf(args, sizeof(args), "%s rate=%u", dev->args, a->opts.rate);
	else
		snprintf(args, sizeof(args), "%s", dev->args);
	op_done(pa_context_load_module(a->pulse.ctx, dev->module, args, loaded_cb, a));
}

static void sink_info_cb(pa_context *c, const pa_sink_info *i, int eol, void *userdata)
{
	(void)c;
	if (eol > 0)
		return;
	if (i)
		found(userdata, i->index, i->owner_module, i->proplist);
	else
		missing(userdata);
}

static void source_info_cb(pa_context *c, const pa_source_info *i, int eol, void *userdata)
{
	(void)c;
	if (eol > 0)
		return;
	if (i)
		found(userdata, i->index, i->owner_module, i->proplist);
	else
		missing(userdata);
}

static void mic_state_cb(pa_context *c, const pa_source_info *i, int eol, void *userdata)
{
	(void)c;
	struct agent *a = userdata;
	if (!i || eol)
		return;
	bool recording = i->state == PA_SOURCE_RUNNING;
	if (recording != a->guest_recording) {
		a->guest_recording = recording;
		log_info("a guest application %s recording", recording ? "started" : "stopped");
		agent_mic_update(a);
	}
}

static void query_mic(struct agent *a)
{
	op_done(pa_context_get_source_info_by_index(a->pulse.ctx, a->mic_index, mic_state_cb, a));
}

/* Someone unloaded a device of ours: make it again. */
static void device_removed(struct agent *a)
{
	log_warn("a Seam device was removed from the guest's PulseAudio: adding it again");
	agent_play_close(a);
	agent_mic_close(a);
	a->devices_ready = false;
	a->guest_playing = a->guest_recording = false;
	agent_play_update(a);
	agent_mic_update(a);
	for (size_t i = 0; i < N_DEVICES; i++)
		a->owned_modules[i] = PA_INVALID_INDEX;
	agent_devices_setup(a);
}

static void subscribe_cb(pa_context *c, pa_subscription_event_type_t t, uint32_t idx,
			 void *userdata)
{
	(void)c;
	struct agent *a = userdata;
	if (!a->devices_ready)
		return;
	unsigned facility = t & PA_SUBSCRIPTION_EVENT_FACILITY_MASK;
	bool removed = (t & PA_SUBSCRIPTION_EVENT_TYPE_MASK) == PA_SUBSCRIPTION_EVENT_REMOVE;
	if (facility == PA_SUBSCRIPTION_EVENT_SINK_INPUT)
		scan_inputs(a);
	else if (facility == PA_SUBSCRIPTION_EVENT_SOURCE && idx == a->mic_index && !removed)
		query_mic(a);
	else if ((facility == PA_SUBSCRIPTION_EVENT_SOURCE && idx == a->mic_index) ||
		 (facility == PA_SUBSCRIPTION_EVENT_SINK && idx == a->sink_index && removed))
		device_removed(a);
}

static void setup_next(struct agent *a)
{
	if (!a->pulse.ready)
		return;
	if (a->setup_step < N_DEVICES) {
		const struct device *dev = &devices[a->setup_step];
		if (dev->source)
			op_done(pa_context_get_source_info_by_name(a->pulse.ctx, dev->name, source_info_cb,
								   a));
		else
			op_done(
			    pa_context_get_sink_info_by_name(a->pulse.ctx, dev->name, sink_info_cb, a));
		return;
	}
	/* Guest applications play to the host and record the host's microphone by default. */
	op_done(pa_context_set_default_sink(a->pulse.ctx, AGENT_SINK, NULL, NULL));
	op_done(pa_context_set_default_source(a->pulse.ctx, AGENT_MIC, NULL, NULL));
	pa_context_set_subscribe_callback(a->pulse.ctx, subscribe_cb, a);
	op_done(pa_context_subscribe(a->pulse.ctx,
				     PA_SUBSCRIPTION_MASK_SINK_INPUT | PA_SUBSCRIPTION_MASK_SOURCE |
					 PA_SUBSCRIPTION_MASK_SINK,
				     NULL, NULL));
	a->devices_ready = true;
	log_info("guest devices ready: sink %s (%u), source %s (%u)", AGENT_SINK, a->sink_index,
		 AGENT_MIC, a->mic_index);
	scan_inputs(a);
	query_mic(a);
	agent_play_update(a);
	agent_mic_update(a);
}

void agent_devices_setup(struct agent *a)
{
	a->setup_step = 0;
	a->devices_ready = false;
	setup_next(a);
}

/* ---- Which guest streams play on the sink
 * -------------------------------------------------------- */

static void inputs_cb(pa_context *c, const pa_sink_input_info *i, int eol, void *userdata)
{
	(void)c;
	struct agent *a = userdata;
	if (i && !eol) {
		/* A corked stream (a paused player) plays nothing: no reason to record. */
		if (i->sink == a->sink_index && !i->corked)
			a->scan_count++;
		return;
	}
	a->scan_running = false;
	if (a->scan_again) {
		a->scan_again = false;
		scan_inputs(a);
		return;
	}
	bool playing = eol > 0 && a->scan_count > 0;
	if (playing != a->guest_playing) {
		a->guest_playing = playing;
		log_debug("guest streams %s", playing ? "playing" : "idle");
		agent_play_update(a);
	}
}

static void scan_inputs(struct agent *a)
{
	if (a->scan_running) {
		a->scan_again = true;
		return;
	}
	pa_operation *o = pa_context_get_sink_input_info_list(a->pulse.ctx, inputs_cb, a);
	if (!o)
		return;
	pa_operation_unref(o);
	a->scan_running = true;
	a->scan_count = 0;
}

/* ---- Unloading at exit
 * --------------------------------------------------------------------------- */

static void unloaded_cb(pa_context *c, int success, void *userdata)
{
	(void)c;
	(void)success;
	struct agent *a = userdata;
	if (--a->unload_pending == 0)
		a->unload_done = 1;
}

void agent_devices_unload(struct agent *a)
{
	if (!a->pulse.ready)
		return;
	/* Our own unloading must not look like someone else's (subscribe_cb would add the devices
	 * again, and they would outlive the agent). */
	a->devices_ready = false;
	a->unload_pending = 0;
	a->unload_done = 0;
	for (size_t i = N_DEVICES; i-- > 0;) {
		if (a->owned_modules[i] == PA_INVALID_INDEX)
			continue;
		pa_operation *o =
		    pa_context_unload_module(a->pulse.ctx, a->owned_modules[i], unloaded_cb, a);
		if (o) {
			pa_operation_unref(o);
			a->unload_pending++;
		}
		a->owned_modules[i] = PA_INVALID_INDEX;
	}
	/* Applications' streams move to another sink as the server unloads ours. */
	if (a->unload_pending > 0)
		audio_loop_settle(a->loop, &a->unload_done, 1000);
}
