/* Guest domains' names and labels: the one rule for a name every program accepts (seam-gui-daemon,
 * seam-audio-daemon, seam-run, the clipboard file's source line) and the label palette. Pure C, no
 * I/O: window-decor/ only draws what this module has checked. */
#ifndef SEAM_DOMAIN_H
#define SEAM_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

/* Longest domain name, in bytes: seam-run's domains are at most 32 ([a-z0-9][a-z0-9-]{0,31}),
 * Qubes' qube names are shorter (< 32), and the name prefixes every host title. */
#define DOMAIN_NAME_MAX 32u

struct domain_label {
	uint32_t rgb;  /* 0xRRGGBB */
	int index;     /* Qubes label index 1..8 (red..black), 0 for a custom 0xRRGGBB color */
	char name[16]; /* "red", ..., or "0xRRGGBB" */
};

/* A domain name: 1 to DOMAIN_NAME_MAX bytes of letters, digits, '_', '.' and '-', starting with a
 * letter or a digit (Qubes' qube names and seam-run's domains; the man pages state this rule).
 * NULL is not a name. */
bool domain_name_valid(const char *name);
/* That rule in words, for error messages. */
#define DOMAIN_NAME_RULE "1 to 32 letters, digits, _ . -, starting with a letter or a digit"

/* A name that is also a host name label (RFC 1123) in lower case: a valid name with only a-z, 0-9
 * and '-'. seam-run gives its domains such names: each becomes the sandbox's host name and a
 * directory name, and lower case keeps "Work" and "work" from being two domains. */
bool domain_name_is_hostname(const char *name);

/* Parse a label: red, orange, yellow, green, gray, blue, purple, black (Qubes' palette) or
 * 0xRRGGBB (hex digits in either case; name gets the lower-case form). Returns 0, or -EINVAL for
 * anything else or NULL (out is then untouched). */
int domain_label_parse(const char *s, struct domain_label *out);

#endif
