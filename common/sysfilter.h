/* Least privilege in system calls: a seccomp allow-list per program, installed once the program is
 * set up (X connected, channel opened, Landlock applied), for the rest of its life. A call not on
 * the list kills the whole process with SIGSYS (SECCOMP_RET_KILL_PROCESS). The lists, and why each
 * entry is there, are in sysfilter.c and docs/security.md ("Least privilege").
 *
 * The environment variable SEAM_SECCOMP chooses the mode, for debugging: unset or "kill" (the
 * default), "log" (a call off the list is allowed and the kernel logs it: audit or dmesg, type
 * SECCOMP) or "off" (no filter; a warning says so). Prefix sysfilter_, not seccomp_: that one is
 * libseccomp's. */
#ifndef SEAM_SYSFILTER_H
#define SEAM_SYSFILTER_H

#include <stdbool.h>
#include <stddef.h>

enum sysfilter_program {
	SYSFILTER_GUI_DAEMON,
	SYSFILTER_GUI_AGENT,
	SYSFILTER_AUDIO_DAEMON,
	SYSFILTER_AUDIO_AGENT,
};

enum sysfilter_mode {
	SYSFILTER_KILL, /* a call off the list kills the process */
	SYSFILTER_LOG,	/* allowed, and logged by the kernel */
	SYSFILTER_OFF,	/* no filter */
};

/* Options of sysfilter_apply(). */
#define SYSFILTER_INET                                                                             \
	1u /* socket(AF_INET/AF_INET6) too: a PulseAudio server or X display on TCP */

/* The mode a value of SEAM_SECCOMP names (NULL: the default, SYSFILTER_KILL). 0, or -EINVAL for
 * an unknown value. */
int sysfilter_mode_parse(const char *value, enum sysfilter_mode *out);

/* Whether a PulseAudio server list (PULSE_SERVER) or an X display name (DISPLAY) names a TCP
 * peer that libpulse may connect to again later (it reconnects, and reads the display's
 * PULSE_SERVER property each time). Either may be NULL. */
bool sysfilter_wants_inet(const char *pulse_server, const char *display);

/* Installs prog's filter in this process for good, in the mode SEAM_SECCOMP names; for the audio
 * programs with SYSFILTER_INET when sysfilter_wants_inet() says so for PULSE_SERVER and DISPLAY.
 * Sets PR_SET_NO_NEW_PRIVS. 0 when installed (or off by request, with a warning logged), else
 * -errno with the reason in why. The caller logs it and exits: a program that asked for a filter
 * and has none must not run. */
int sysfilter_install(enum sysfilter_program prog, char *why, size_t why_len);

/* The same with the mode and options given (tests). */
int sysfilter_apply(enum sysfilter_program prog, enum sysfilter_mode mode, unsigned options,
		    char *why, size_t why_len);

#endif
