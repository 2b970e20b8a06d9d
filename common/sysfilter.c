/* Seccomp allow-lists of Seam's programs (common/sysfilter.h), built with libseccomp. Each entry
 * names the programs that need the call after set-up, found with strace on the integration tests
 * and, for Xen, from what libxenvchan, libxengnttab, libxenevtchn and libxenstore do (the Xen lab
 * in tests/xen runs them). */
#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sysfilter.h"

#define GD    (1u << SYSFILTER_GUI_DAEMON)
#define GA    (1u << SYSFILTER_GUI_AGENT)
#define AD    (1u << SYSFILTER_AUDIO_DAEMON)
#define AA    (1u << SYSFILTER_AUDIO_AGENT)
#define AUDIO (AD | AA)
#define ALL   (GD | GA | AD | AA)

struct allow {
	int nr;
	unsigned progs;
};

/* Calls allowed whatever their arguments. */
static const struct allow plain[] = {
    /* The loop, the channel, the X connection, PulseAudio, the log. */
    {SCMP_SYS(poll), ALL},
    {SCMP_SYS(ppoll), ALL},
    {SCMP_SYS(read), ALL},
    {SCMP_SYS(readv), ALL},
    {SCMP_SYS(write), ALL},
    {SCMP_SYS(writev), ALL},
    {SCMP_SYS(recvmsg), ALL},
    {SCMP_SYS(sendmsg), ALL},
    {SCMP_SYS(recvfrom), ALL},
    {SCMP_SYS(sendto), ALL},
    {SCMP_SYS(close), ALL},
    {SCMP_SYS(fcntl), ALL}, /* F_GETFL, F_DUPFD_CLOEXEC, F_GET_SEALS and F_ADD_SEALS on memfds */
    {SCMP_SYS(lseek), ALL},
    {SCMP_SYS(shutdown), ALL},
    {SCMP_SYS(getsockopt), ALL}, /* SO_PEERCRED, SO_ERROR after a connect */
    {SCMP_SYS(setsockopt), GD | AUDIO},
    {SCMP_SYS(getsockname), GD | AUDIO},
    {SCMP_SYS(getpeername), GD | GA | AUDIO},
    /* Reconnection: the agents connect again after a daemon restarts, the daemons accept the
     * next agent, the audio programs reach PulseAudio again, and vchan opens xenstore (its
     * socket in dom0). socket() itself is checked below: AF_UNIX only. */
    {SCMP_SYS(connect), ALL},
    {SCMP_SYS(accept4), GD | AD},
    {SCMP_SYS(accept), GD | AD},
    /* Memory: malloc, window buffers (sealed memfds), Xen grant mappings, PulseAudio's pools. */
    {SCMP_SYS(brk), ALL},
    {SCMP_SYS(mmap), ALL},
    {SCMP_SYS(munmap), ALL},
    {SCMP_SYS(mremap), ALL},
    {SCMP_SYS(mprotect), ALL},
    {SCMP_SYS(madvise), ALL},
    {SCMP_SYS(memfd_create), ALL},
    {SCMP_SYS(ftruncate), ALL},
    {SCMP_SYS(fstat), ALL},
    {SCMP_SYS(newfstatat), ALL},
    {SCMP_SYS(statx), ALL},
    {SCMP_SYS(futex), ALL},
    /* Files: the shared clipboard under its lock; /dev/xen devices for vchan and grants; xenstore's
     * device in a guest; PulseAudio's configuration, cookie and shared memory. Landlock limits
     * where the GUI daemon may write. */
    {SCMP_SYS(openat), ALL},
    {SCMP_SYS(access), ALL},
    {SCMP_SYS(faccessat), ALL},
    {SCMP_SYS(faccessat2), ALL},
    {SCMP_SYS(flock), GD},
    {SCMP_SYS(fsync), GD}, /* the clipboard is written atomically: new file, fsync, rename */
    {SCMP_SYS(fdatasync), GD},
    {SCMP_SYS(mkdir), GD}, /* the runtime directory, if it was removed */
    {SCMP_SYS(mkdirat), GD},
    {SCMP_SYS(unlink), GD | AD}, /* the daemon's socket at exit */
    {SCMP_SYS(unlinkat), GD | AD},
    {SCMP_SYS(rename), GD},
    {SCMP_SYS(renameat), GD},
    {SCMP_SYS(renameat2), GD},
    {SCMP_SYS(getdents64), GD | AUDIO},
    {SCMP_SYS(readlink), GD | AUDIO},
    /* Time, identity, signals. */
    {SCMP_SYS(clock_gettime), ALL},
    {SCMP_SYS(clock_getres), ALL},
    {SCMP_SYS(gettimeofday), ALL},
    {SCMP_SYS(time), ALL},
    {SCMP_SYS(clock_nanosleep), ALL},
    {SCMP_SYS(nanosleep), ALL},
    {SCMP_SYS(getpid), ALL},
    {SCMP_SYS(gettid), ALL},
    {SCMP_SYS(getuid), ALL},
    {SCMP_SYS(geteuid), ALL},
    {SCMP_SYS(getgid), ALL},
    {SCMP_SYS(getegid), ALL},
    {SCMP_SYS(getrandom), ALL},
    {SCMP_SYS(uname), GD | GA | AUDIO},
    {SCMP_SYS(rt_sigaction), ALL}, /* libxenstore ignores SIGPIPE around each request */
    {SCMP_SYS(rt_sigprocmask), ALL},
    {SCMP_SYS(rt_sigreturn), ALL}, /* PulseAudio's signal handlers */
    {SCMP_SYS(restart_syscall), ALL},
    {SCMP_SYS(pipe2), GD | AUDIO},
    {SCMP_SYS(eventfd2), GD | AUDIO}, /* PulseAudio's ring buffer; GLib */
    {SCMP_SYS(exit), ALL},
    {SCMP_SYS(exit_group), ALL},
    /* /usr/bin/setxkbmap, which the agent starts to follow the host's layout; it runs under the
     * agent's filter: exec and the dynamic loader. The GUI daemon runs no program (its
     * notifications go to the session bus through sd-bus). */
    {SCMP_SYS(execve), GA},
    {SCMP_SYS(arch_prctl), GA},
    {SCMP_SYS(set_tid_address), GA},
    {SCMP_SYS(set_robust_list), GA},
    {SCMP_SYS(rseq), GA},
    {SCMP_SYS(prlimit64), GA},
    {SCMP_SYS(pread64), GD | GA},
    {SCMP_SYS(wait4), GA}, /* the agent waits for setxkbmap */
    {SCMP_SYS(sigaltstack), GD},
    {SCMP_SYS(sched_getaffinity), GD},
    {SCMP_SYS(getppid), GD},
    {SCMP_SYS(statfs), GD},
    {SCMP_SYS(fstatfs), GD},
    {SCMP_SYS(sched_yield), GD},
};

/* The Xen drivers' ioctls (gntdev and gntalloc: 'G'; evtchn: 'E') have no direction bits; the
 * size bits vary. Compared on the 32 bits the kernel reads. */
#define IOC_KIND_MASK 0xc000ff00u
#define IOC_XEN_GNT   ((uint32_t)'G' << 8)
#define IOC_XEN_EVT   ((uint32_t)'E' << 8)

/* Flags no program may pass to clone(): new namespaces. */
#define CLONE_NS                                                                                   \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |             \
	 CLONE_NEWPID | CLONE_NEWNET)

static int add(scmp_filter_ctx ctx, int nr, unsigned argc, const struct scmp_arg_cmp *args)
{
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, argc, args);
}

/* The calls allowed only with some arguments. */
static int add_checked(scmp_filter_ctx ctx, enum sysfilter_program prog, unsigned options)
{
	unsigned me = 1u << prog;
	int rc = 0;
	/* Sockets: unix only (the channel, xenstore, PulseAudio, the session bus), unless told. */
	rc |= add(ctx, SCMP_SYS(socket), 1,
		  (struct scmp_arg_cmp[]){SCMP_A0_32(SCMP_CMP_EQ, AF_UNIX)});
	rc |= add(ctx, SCMP_SYS(socketpair), 1,
		  (struct scmp_arg_cmp[]){SCMP_A0_32(SCMP_CMP_EQ, AF_UNIX)});
	if (options & SYSFILTER_INET) {
		rc |= add(ctx, SCMP_SYS(socket), 1,
			  (struct scmp_arg_cmp[]){SCMP_A0_32(SCMP_CMP_EQ, AF_INET)});
		rc |= add(ctx, SCMP_SYS(socket), 1,
			  (struct scmp_arg_cmp[]){SCMP_A0_32(SCMP_CMP_EQ, AF_INET6)});
	}
	/* ioctl: Xen's grant and event-channel devices, and the questions libraries ask of a file
	 * (isatty: libxentoollog's logger on stderr; FIONREAD). Nothing that acts on a terminal
	 * (TIOCSTI) or another device. */
	rc |= add(
	    ctx, SCMP_SYS(ioctl), 1,
	    (struct scmp_arg_cmp[]){SCMP_A1_32(SCMP_CMP_MASKED_EQ, IOC_KIND_MASK, IOC_XEN_GNT)});
	rc |= add(
	    ctx, SCMP_SYS(ioctl), 1,
	    (struct scmp_arg_cmp[]){SCMP_A1_32(SCMP_CMP_MASKED_EQ, IOC_KIND_MASK, IOC_XEN_EVT)});
	rc |=
	    add(ctx, SCMP_SYS(ioctl), 1, (struct scmp_arg_cmp[]){SCMP_A1_32(SCMP_CMP_EQ, TCGETS)});
	rc |= add(ctx, SCMP_SYS(ioctl), 1,
		  (struct scmp_arg_cmp[]){SCMP_A1_32(SCMP_CMP_EQ, FIONREAD)});
	/* Signals to this process only (abort(), raise()). */
	rc |= add(ctx, SCMP_SYS(tgkill), 1,
		  (struct scmp_arg_cmp[]){SCMP_A0_32(SCMP_CMP_EQ, (uint32_t)getpid())});
	/* clone3's flags are in memory, where a filter cannot read them: refuse it with ENOSYS, and
	 * glibc falls back to clone(), whose flags are checked. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	const uint64_t vfork = CLONE_VM | CLONE_VFORK;
	if (me & GA) /* posix_spawn() of setxkbmap; no fork(), no namespaces */
		rc |= add(ctx, SCMP_SYS(clone), 1,
			  (struct scmp_arg_cmp[]){SCMP_A0_64(
			      SCMP_CMP_MASKED_EQ, vfork | CLONE_THREAD | CLONE_NS, vfork)});
	return rc;
}

int sysfilter_mode_parse(const char *value, enum sysfilter_mode *out)
{
	if (!value || !strcmp(value, "kill"))
		*out = SYSFILTER_KILL;
	else if (!strcmp(value, "log"))
		*out = SYSFILTER_LOG;
	else if (!strcmp(value, "off"))
		*out = SYSFILTER_OFF;
	else
		return -EINVAL;
	return 0;
}

/* One entry of a PulseAudio server list ("{machine}unix:/path", "/path", "tcp:host:port",
 * "host"): true unless it is a unix socket. */
static bool pulse_entry_is_tcp(const char *e, size_t len)
{
	if (len && e[0] == '{') {
		const char *close = memchr(e, '}', len);
		if (!close)
			return true;
		len -= (size_t)(close + 1 - e);
		e = close + 1;
	}
	return len && e[0] != '/' && !(len >= 5 && !strncmp(e, "unix:", 5));
}

bool sysfilter_wants_inet(const char *pulse_server, const char *display)
{
	for (const char *p = pulse_server; p && *p;) {
		size_t skip = strspn(p, " \t"), len = strcspn(p + skip, " \t");
		if (pulse_entry_is_tcp(p + skip, len))
			return true;
		p += skip + len;
	}
	/* An X display "host:N" is reached over TCP; ":N", "unix:N" and "/path:N" are not. */
	if (!display)
		return false;
	const char *colon = strrchr(display, ':');
	size_t host = colon ? (size_t)(colon - display) : 0;
	return host && display[0] != '/' && !(host == 4 && !strncmp(display, "unix", 4));
}

int sysfilter_apply(enum sysfilter_program prog, enum sysfilter_mode mode, unsigned options,
		    char *why, size_t why_len)
{
	if (mode == SYSFILTER_OFF)
		return 0;
	const uint32_t deny = mode == SYSFILTER_LOG ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx = seccomp_init(deny);
	if (!ctx) {
		snprintf(why, why_len, "seccomp: cannot create a filter");
		return -ENOMEM;
	}
	/* A call of another architecture (int 0x80) is refused the same way; the filter covers
	 * every thread. */
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny);
	if (!rc)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; !rc && i < sizeof(plain) / sizeof(plain[0]); i++)
		if (plain[i].progs & (1u << prog))
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain[i].nr, 0);
	if (!rc)
		rc = add_checked(ctx, prog, options) ? -EINVAL : 0;
	if (rc) {
		snprintf(why, why_len, "seccomp: cannot build the filter: %s", strerror(-rc));
	} else {
		rc = seccomp_load(ctx);
		if (rc)
			snprintf(why, why_len, "seccomp: cannot install the filter: %s",
				 strerror(-rc));
	}
	seccomp_release(ctx);
	return rc;
}

int sysfilter_install(enum sysfilter_program prog, char *why, size_t why_len)
{
	const char *value = getenv("SEAM_SECCOMP");
	enum sysfilter_mode mode;
	if (sysfilter_mode_parse(value, &mode)) {
		snprintf(why, why_len, "SEAM_SECCOMP=%s: not kill, log or off", value);
		return -EINVAL;
	}
	if (mode == SYSFILTER_OFF) {
		log_warn("SEAM_SECCOMP=off: running without a seccomp filter");
		return 0;
	}
	unsigned options = 0;
	if ((1u << prog) & AUDIO && sysfilter_wants_inet(getenv("PULSE_SERVER"), getenv("DISPLAY")))
		options |= SYSFILTER_INET;
	int rc = sysfilter_apply(prog, mode, options, why, why_len);
	if (!rc)
		log_info("seccomp filter installed%s%s",
			 mode == SYSFILTER_LOG ? " (log only: SEAM_SECCOMP=log)" : "",
			 options & SYSFILTER_INET ? "; TCP sockets allowed for PulseAudio" : "");
	return rc;
}
