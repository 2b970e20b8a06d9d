/* Joining a running domain through its owner's join socket. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/join.h"
#include "sandbox/msg.h"
#include "sandbox/paths.h"
#include "sandbox/proc.h"
#include "sandbox/registry.h"

/* A domain that is starting listens once its X server is up: wait that long for it. */
#define JOIN_CONNECT_MS 15000

/* Options of a second seam-run must agree with the running domain: they cannot change it. */
static int check_agrees(const struct run_opts *o, const struct registry_info *i)
{
	const char *what = NULL;
	if (o->label_from_cmdline && strcmp(o->label.name, i->label) != 0) {
		fprintf(stderr, "seam-run: %s already runs with label %s, not %s\n", o->name,
			i->label, o->label.name);
		return 1;
	}
	if (o->net_from_cmdline && !i->net)
		what = "--net";
	else if (o->shares_from_cmdline)
		what = "--share";
	else if (o->size_from_cmdline)
		what = "--size";
	else if (o->audio)
		what = "--audio";
	else if (o->no_notifications_from_cmdline)
		what = "--no-notifications";
	if (what) {
		fprintf(stderr,
			"seam-run: %s already runs: %s cannot change it (end it first with "
			"seam-run --kill %s)\n",
			o->name, what, o->name);
		return 1;
	}
	return 0;
}

static int connect_owner(const char *name)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char path[PATH_MAX];
	if (registry_path(name, "join.sock", path, sizeof(path)) ||
	    strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	int64_t end = mono_ms() + JOIN_CONNECT_MS;
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		close(fd);
		if (!registry_running(name))
			return JOIN_GONE;
		if (mono_ms() > end)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

static int join_with(const struct run_opts *o, struct msg *m);

int join_run(const struct run_opts *o)
{
	struct registry_info info;
	/* A domain that is starting writes its info once its sandbox is up. */
	int64_t end = mono_ms() + JOIN_CONNECT_MS;
	while (registry_read_info(o->name, &info)) {
		if (!registry_running(o->name))
			return JOIN_GONE;
		if (mono_ms() > end) {
			fprintf(stderr, "seam-run: the domain %s does not finish starting\n",
				o->name);
			return 1;
		}
		usleep(20000);
	}
	if (check_agrees(o, &info))
		return 1;
	/* The command line as it travels, then each answer: too large for the stack. */
	struct msg *m = malloc(sizeof(*m));
	if (!m) {
		fprintf(stderr, "seam-run: out of memory\n");
		return 1;
	}
	int code = join_with(o, m);
	free(m);
	return code;
}

/* join_run once the domain is there: m is scratch space. */
static int join_with(const struct run_opts *o, struct msg *m)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "%s", paths_home());
	long n = msg_spawn_build(m->payload, sizeof(m->payload), cwd, o->argc, o->argv);
	if (n < 0) {
		fprintf(stderr, "seam-run: the command line is too long (at most %d KiB)\n",
			MSG_MAX_PAYLOAD / 1024);
		return 1;
	}
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	int sigfd = proc_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), false);
	int sock = connect_owner(o->name);
	if (sock == JOIN_GONE)
		return JOIN_GONE;
	if (sock < 0) {
		fprintf(stderr, "seam-run: cannot reach the running domain %s: %s\n", o->name,
			strerror(-sock));
		return 1;
	}
	int fds[3] = {0, 1, 2};
	if (msg_send(sock, MSG_SPAWN, 0, o->argc + 1, m->payload, (size_t)n, fds, 3)) {
		fprintf(stderr, "seam-run: the domain %s did not take the command\n", o->name);
		return 1;
	}
	int interrupts = 0;
	for (;;) {
		struct pollfd p[2] = {{sock, POLLIN, 0}, {sigfd, POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
				/* The first signal goes to the command; a second Ctrl+C kills it.
				 */
				int sig = interrupts++ ? SIGKILL : (int)si.ssi_signo;
				msg_send(sock, MSG_SIGNAL, 0, sig, NULL, 0, NULL, 0);
			}
		}
		if (!p[0].revents)
			continue;
		int rc = msg_recv(sock, m, NULL, 0);
		if (rc == -EAGAIN || rc == -EPROTO)
			continue;
		if (rc < 0) {
			fprintf(stderr, "seam-run: the domain %s ended\n", o->name);
			return 1;
		}
		if (m->type == MSG_FAILED) {
			if (m->value == ENOENT)
				fprintf(stderr, "seam-run: %s: command not found in the domain\n",
					o->argv[0]);
			else if (m->value == ESHUTDOWN)
				fprintf(stderr, "seam-run: the domain %s is ending\n", o->name);
			else
				fprintf(stderr, "seam-run: %s: cannot run it in the domain: %s\n",
					o->argv[0], strerror(m->value));
			return m->value == ENOENT ? 127 : 126;
		}
		if (m->type == MSG_EXITED)
			return m->value >= 0 && m->value <= 255 ? m->value : 1;
	}
}
