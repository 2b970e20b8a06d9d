/* Connection set-up: raw version exchange, xconf, and the Seam hello that unlocks Seam's
 * extensions. */
#include "internal.h"

int proto_negotiate_daemon(uint32_t agent_version, uint32_t *negotiated, struct proto_error *err)
{
	uint32_t major = PROTO_VERSION_MAJOR(agent_version);
	uint32_t minor = PROTO_VERSION_MINOR(agent_version);
	if (major != PROTO_VERSION_MAJOR(PROTO_VERSION_CURRENT))
		return proto_fail_handshake(err, "version", "agent speaks major %u, this daemon %u",
					    major, PROTO_VERSION_MAJOR(PROTO_VERSION_CURRENT));
	if (minor > PROTO_VERSION_MINOR(PROTO_VERSION_CURRENT))
		minor = PROTO_VERSION_MINOR(PROTO_VERSION_CURRENT);
	uint32_t v = PROTO_VERSION(major, minor);
	if (v < PROTO_VERSION_MIN)
		return proto_fail_handshake(
		    err, "version", "agent speaks %u.%u, at least %u.%u is needed", major, minor,
		    PROTO_VERSION_MAJOR(PROTO_VERSION_MIN), PROTO_VERSION_MINOR(PROTO_VERSION_MIN));
	*negotiated = v;
	return 0;
}

int proto_negotiate_agent(uint32_t daemon_version, struct proto_error *err)
{
	if (PROTO_VERSION_MAJOR(daemon_version) != PROTO_VERSION_MAJOR(PROTO_VERSION_CURRENT) ||
	    daemon_version > PROTO_VERSION_CURRENT || daemon_version < PROTO_VERSION_MIN)
		return proto_fail_handshake(
		    err, "version", "daemon answered %u.%u, this agent needs %u.%u to %u.%u",
		    PROTO_VERSION_MAJOR(daemon_version), PROTO_VERSION_MINOR(daemon_version),
		    PROTO_VERSION_MAJOR(PROTO_VERSION_MIN), PROTO_VERSION_MINOR(PROTO_VERSION_MIN),
		    PROTO_VERSION_MAJOR(PROTO_VERSION_CURRENT),
		    PROTO_VERSION_MINOR(PROTO_VERSION_CURRENT));
	return 0;
}

/* A host screen larger than this in either dimension is not a screen. */
#define XCONF_MAX_DIM 16384u

static uint32_t xconf_mem_kib(uint32_t w, uint32_t h)
{
	return (uint32_t)((uint64_t)w * h * 4u / 1024u + 1u);
}

void proto_xconf_make(uint32_t root_w, uint32_t root_h, uint32_t depth, struct proto_xconf *out)
{
	/* A screen past the protocol's bound is announced at the bound (agents refuse more). */
	if (root_w > XCONF_MAX_DIM)
		root_w = XCONF_MAX_DIM;
	if (root_h > XCONF_MAX_DIM)
		root_h = XCONF_MAX_DIM;
	out->w = (root_w + 7u) & ~7u;
	out->h = root_h;
	out->depth = depth;
	out->mem = xconf_mem_kib(out->w, out->h);
}

int proto_validate_xconf(struct proto_xconf *x, struct proto_error *err)
{
	/* Qubes' agent reads the xconf and ignores it, so Qubes' daemon sends whatever its screen
	 * is (a 30-bit depth, a width past 16384): adjust what is out of range, never refuse. */
	if (err) {
		err->verdict = PROTO_OK;
		err->field = NULL;
		err->text[0] = '\0';
	}
	if (x->w > XCONF_MAX_DIM || x->w < 8 || (x->w & 7u)) {
		uint32_t w = x->w > XCONF_MAX_DIM ? XCONF_MAX_DIM : x->w < 8 ? 8 : x->w & ~7u;
		proto_note_handshake(err, "xconf.w", "%u taken as %u", x->w, w);
		x->w = w;
	}
	if (x->h < 1 || x->h > XCONF_MAX_DIM) {
		uint32_t h = x->h < 1 ? 1 : XCONF_MAX_DIM;
		proto_note_handshake(err, "xconf.h", "%u taken as %u", x->h, h);
		x->h = h;
	}
	if (x->depth != 24 && x->depth != 32)
		proto_note_handshake(err, "xconf.depth",
				     "%u is neither 24 nor 32: kept, as nothing in the "
				     "guest depends on it",
				     x->depth);
	/* mem is informative: nothing is sized from it. */
	uint32_t mem_max = xconf_mem_kib(XCONF_MAX_DIM, XCONF_MAX_DIM);
	if (x->mem > mem_max) {
		proto_note_handshake(err, "xconf.mem", "%u KiB taken as %u", x->mem, mem_max);
		x->mem = mem_max;
	}
	return 0;
}

int proto_seam_accept_hello(const struct proto_seam_hello *hello, uint32_t offered,
			    uint32_t *agreed, struct proto_error *err)
{
	if (proto_validate_seam_hello(hello, err))
		return -1;
	*agreed = hello->features & offered & PROTO_SEAM_FEATURES_KNOWN;
	return 0;
}
