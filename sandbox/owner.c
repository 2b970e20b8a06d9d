/* The owner of a domain: the one poll loop (the init's messages, joining seam-runs, signals,
 * timers) and the teardown. The start-up is in owner_start.c. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/mono.h"
#include "sandbox/msg.h"
#include "sandbox/net.h"
#include "sandbox/owner_internal.h"
#include "sandbox/paths.h"
#include "sandbox/proc.h"

/* How long the domain may take to be ready (Xvfb + agent). */
#define SANDBOX_READY_MS 15000
/* A disposable whose windows are all gone ends after this, unless one comes back: long enough for
 * an application that replaces its splash screen by its main window. */
#define LAST_WINDOW_GRACE_MS 500
/* The teardown budget is a second: the init's SIGTERM grace is 300 ms; after this the owner kills
 * the sandbox's PID 1 itself. */
#define STOP_WAIT_MS 600
/* A daemon that ends by itself is started again this often (the host X server can drop a client
 * that connects at a bad moment); past that something is wrong for good. */
#define DAEMON_MAX_RESTARTS 3
/* The daemon needs a moment to destroy its windows. */
#define DAEMON_STOP_MS 300

/* The commands running, space-separated basenames, for --list. Returns the length. */
static size_t list_commands(const struct owner *w, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < w->ncmds; i++) {
		int n = snprintf(buf + off, size - off, "%s%s", off ? " " : "", w->cmds[i].name);
		if (n < 0 || (size_t)n >= size - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)n;
	}
	return off;
}

static struct command *find_cmd(struct owner *w, uint32_t id)
{
	for (int i = 0; i < w->ncmds; i++)
		if (w->cmds[i].id == id)
			return &w->cmds[i];
	return NULL;
}

static int add_cmd(struct owner *w, int conn, const char *argv0)
{
	if (w->ncmds == OWNER_MAX_COMMANDS)
		return -EAGAIN;
	struct command *c = &w->cmds[w->ncmds++];
	c->id = ++w->next_id;
	c->conn = conn;
	const char *base = strrchr(argv0, '/');
	snprintf(c->name, sizeof(c->name), "%s", base ? base + 1 : argv0);
	return 0;
}

static void remove_cmd(struct owner *w, struct command *c)
{
	*c = w->cmds[--w->ncmds];
}

/* ---- the running domain -------------------------------------------------------------------- */

static void request_stop(struct owner *w, int code, const char *why);

static void send_first(struct owner *w)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "%s", paths_home());
	long n = msg_spawn_build(w->payload, sizeof(w->payload), cwd, w->o->argc, w->o->argv);
	w->first_sent = true;
	if (n < 0) {
		fprintf(stderr, "seam-run: the command line is too long (at most %d KiB)\n",
			MSG_MAX_PAYLOAD / 1024);
		request_stop(w, 1, "no command");
		return;
	}
	add_cmd(w, -1, w->o->argv[0]);
	int fds[3] = {0, 1, 2};
	int rc = msg_send(w->ctl, MSG_SPAWN, w->cmds[w->ncmds - 1].id, w->o->argc + 1, w->payload,
			  (size_t)n, fds, 3);
	if (rc) {
		fprintf(stderr, "seam-run: cannot hand the command to the domain: %s\n",
			strerror(-rc));
		request_stop(w, 1, "no command");
		return;
	}
	owner_say(w, "domain ready; starting %s", w->o->argv[0]);
}

static void report_failure(const char *cmd, int err)
{
	if (err == ENOENT)
		fprintf(stderr, "seam-run: %s: command not found in the domain\n", cmd);
	else
		fprintf(stderr, "seam-run: %s: cannot run it in the domain: %s\n", cmd,
			strerror(err));
}

/* Exit status for a command that could not start, as a shell gives it. */
static int failure_code(int err)
{
	return err == ENOENT ? 127 : 126;
}

static void request_stop(struct owner *w, int code, const char *why)
{
	if (w->stopping)
		return;
	w->stopping = true;
	w->exit_code = code;
	owner_say(w, "ending the domain: %s", why);
}

/* A message from the init: from inside the sandbox, so checked before use, and never fatal. */
static void from_init(struct owner *w, struct msg *m)
{
	struct command *c = m->id ? find_cmd(w, m->id) : NULL;
	switch (m->type) {
	case MSG_UP:
		/* bwrap has finished with the network namespace (its loopback): pasta may start. */
		if (w->o->net && !w->pasta && owner_start_net(w))
			request_stop(w, 1, "no network");
		break;
	case MSG_READY:
		if (!w->ready)
			owner_say(w, "guest X server and agent up");
		w->ready = true;
		break;
	case MSG_STARTED:
		if (c && c->conn >= 0)
			msg_send(w->conns[c->conn], MSG_STARTED, 0, 0, NULL, 0, NULL, 0);
		break;
	case MSG_FAILED:
	case MSG_EXITED: {
		if (!c)
			break;
		int v = m->value;
		if (m->type == MSG_EXITED && (v < 0 || v > 255))
			v = 1;
		if (c->conn >= 0)
			msg_send(w->conns[c->conn], m->type, 0, v, NULL, 0, NULL, 0);
		bool own = c->conn == -1;
		if (own && m->type == MSG_FAILED) {
			report_failure(w->o->argv[0], v);
			request_stop(w, failure_code(v), "the command did not start");
		} else if (own && !w->stopping) {
			w->exit_code = v;
		}
		owner_say(w, "command %u (%s) %s %d", c->id, c->name,
			  m->type == MSG_FAILED ? "failed, errno" : "ended, status", v);
		remove_cmd(w, c);
		if (own && w->o->disposable)
			request_stop(w, w->exit_code, "its command ended");
		else if (w->ncmds == 0)
			request_stop(w, w->exit_code, "no command runs in it any more");
		break;
	}
	case MSG_WINDOWS:
		if (!w->o->disposable)
			break;
		if (m->value > 0) {
			if (!w->had_windows)
				owner_say(w, "first window mapped");
			w->had_windows = true;
			w->window_deadline = 0;
		} else if (w->had_windows && !w->window_deadline) {
			w->window_deadline = mono_ms() + LAST_WINDOW_GRACE_MS;
		}
		break;
	default:
		break;
	}
}

static void handle_ctl(struct owner *w)
{
	for (int budget = 0; budget < 256; budget++) {
		int rc = msg_recv(w->ctl, &w->msg, NULL, 0);
		if (rc == -EAGAIN)
			return;
		if (rc == -EPROTO)
			continue;
		if (rc < 0) {
			close(w->ctl);
			w->ctl = -1;
			return;
		}
		from_init(w, &w->msg);
	}
}

static void close_conn(struct owner *w, int k)
{
	close(w->conns[k]);
	w->conns[k] = -1;
	for (int i = 0; i < w->ncmds; i++)
		if (w->cmds[i].conn == k)
			w->cmds[i].conn = -2; /* runs on; nobody waits for it */
}

static void accept_conn(struct owner *w)
{
	int fd = accept4(w->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || cr.uid != getuid()) {
		close(fd);
		return;
	}
	for (int k = 0; k < OWNER_MAX_CONNS; k++)
		if (w->conns[k] < 0) {
			w->conns[k] = fd;
			return;
		}
	close(fd);
}

static void from_joiner(struct owner *w, int k)
{
	struct msg *m = &w->msg;
	char **argv = w->argv;
	int rc = msg_recv(w->conns[k], m, NULL, 0);
	if (rc == -EAGAIN)
		return;
	if (rc < 0) {
		close_conn(w, k);
		return;
	}
	if (m->type == MSG_SPAWN) {
		const char *cwd;
		int err = w->stopping ? ESHUTDOWN : msg_spawn_parse(m, &cwd, argv) ? EINVAL : 0;
		if (!err && add_cmd(w, k, argv[0]))
			err = EAGAIN;
		if (err) {
			msg_send(w->conns[k], MSG_FAILED, 0, err, NULL, 0, NULL, 0);
		} else {
			/* argv points into m->payload, which travels on as it came. */
			msg_send(w->ctl, MSG_SPAWN, w->cmds[w->ncmds - 1].id, m->value, m->payload,
				 m->len, m->fds, m->nfds);
			owner_say(w, "joined: %s", argv[0]);
		}
		msg_close_fds(m);
	} else if (m->type == MSG_LIST) {
		char buf[MSG_MAX_PAYLOAD / 64];
		size_t n = list_commands(w, buf, sizeof(buf));
		msg_send(w->conns[k], MSG_LIST, 0, w->ncmds, buf, n, NULL, 0);
	} else if (m->type == MSG_SIGNAL) {
		for (int i = 0; i < w->ncmds; i++)
			if (w->cmds[i].conn == k)
				msg_send(w->ctl, MSG_SIGNAL, w->cmds[i].id, m->value, NULL, 0, NULL,
					 0);
	}
}

static int poll_timeout(const struct owner *w)
{
	int64_t now = mono_ms(), t = -1;
	if (w->window_deadline)
		t = w->window_deadline - now;
	if (!w->ready && (t < 0 || w->ready_deadline - now < t))
		t = w->ready_deadline - now;
	return t < 0 ? -1 : (int)(t > 0 ? t : 0);
}

static void run_loop(struct owner *w)
{
	enum { P_SIG, P_CTL, P_ERR, P_BWRAP, P_DAEMON, P_PASTA, P_PREADY, P_LISTEN, P_CONN };
	struct pollfd p[P_CONN + OWNER_MAX_CONNS];
	while (!w->stopping) {
		if (w->ready && (!w->o->net || w->net_ready) && !w->first_sent)
			send_first(w);
		if (w->ready && w->listen_fd < 0 && owner_listen_join(w))
			owner_say(w, "cannot listen on %s: no joining", w->join_path);
		if (w->stopping)
			break;
		p[P_SIG] = (struct pollfd){w->sigfd, POLLIN, 0};
		p[P_CTL] = (struct pollfd){w->ctl, POLLIN, 0};
		p[P_ERR] = (struct pollfd){w->err_fd, POLLIN, 0};
		p[P_BWRAP] = (struct pollfd){w->bwrap_fd, POLLIN, 0};
		p[P_DAEMON] = (struct pollfd){w->daemon_fd, POLLIN, 0};
		p[P_PASTA] = (struct pollfd){w->pasta_fd, POLLIN, 0};
		p[P_PREADY] = (struct pollfd){w->pasta_ready_fd, POLLIN, 0};
		p[P_LISTEN] = (struct pollfd){w->listen_fd, POLLIN, 0};
		for (int k = 0; k < OWNER_MAX_CONNS; k++)
			p[P_CONN + k] = (struct pollfd){w->conns[k], POLLIN, 0};
		if (poll(p, P_CONN + OWNER_MAX_CONNS, poll_timeout(w)) < 0 && errno != EINTR)
			break;
		if (p[P_SIG].revents) {
			struct signalfd_siginfo si;
			if (read(w->sigfd, &si, sizeof(si)) == sizeof(si))
				request_stop(w, 128 + (int)si.ssi_signo, "signal");
		}
		if (p[P_ERR].revents)
			owner_drain_err(w);
		if (p[P_CTL].revents)
			handle_ctl(w);
		if (p[P_PREADY].revents) {
			int rc = net_pasta_ready(w->pasta_ready_fd);
			w->pasta_ready_fd = -1;
			if (rc) {
				fprintf(stderr,
					"seam-run: pasta could not connect the domain to the "
					"network (see seam-run -v -v)\n");
				request_stop(w, 1, "no network");
			} else {
				w->net_ready = true;
				owner_say(w, "network up (pasta)");
			}
		}
		if (p[P_PASTA].revents && !w->stopping) {
			fprintf(stderr, "seam-run: pasta ended: the domain has lost its network\n");
			close(w->pasta_fd);
			w->pasta_fd = -1;
			proc_wait(w->pasta, 100);
			w->pasta = 0;
			request_stop(w, 1, "pasta ended");
		}
		if (p[P_DAEMON].revents && !w->stopping) {
			int code = proc_wait(w->daemon, 100);
			close(w->daemon_fd);
			w->daemon_fd = -1;
			w->daemon = 0;
			/* The agent reconnects to a new daemon by itself and sends every window
			 * again. */
			if (w->daemon_restarts++ < DAEMON_MAX_RESTARTS) {
				fprintf(stderr,
					"seam-run: seam-gui-daemon ended (status %d); "
					"restarting it\n",
					code);
				if (owner_start_gui_daemon(w))
					request_stop(w, 1, "no daemon");
			} else {
				fprintf(stderr,
					"seam-run: seam-gui-daemon keeps ending (status %d): "
					"the domain's windows cannot be shown\n",
					code);
				request_stop(w, 1, "the daemon ended");
			}
		}
		if (p[P_BWRAP].revents && !w->stopping) {
			handle_ctl(w);
			owner_drain_err(w);
			if (!w->ready)
				fprintf(stderr, "seam-run: the sandbox did not start: %s\n",
					owner_err_line(w));
			else if (!w->stopping)
				fprintf(stderr, "seam-run: the domain ended unexpectedly%s%s\n",
					*owner_err_line(w) ? ": " : "", owner_err_line(w));
			request_stop(w, w->ready && w->first_sent && !w->ncmds ? w->exit_code : 1,
				     "the sandbox ended");
		}
		if (w->listen_fd >= 0 && p[P_LISTEN].revents)
			accept_conn(w);
		for (int k = 0; k < OWNER_MAX_CONNS; k++)
			if (w->conns[k] >= 0 && p[P_CONN + k].revents)
				from_joiner(w, k);
		int64_t now = mono_ms();
		if (w->window_deadline && now >= w->window_deadline)
			request_stop(w, 0, "its last window closed");
		if (!w->ready && now >= w->ready_deadline) {
			fprintf(stderr, "seam-run: the domain did not become ready in %d s\n",
				SANDBOX_READY_MS / 1000);
			request_stop(w, 1, "not ready");
		}
	}
}

/* ---- teardown ------------------------------------------------------------------------------ */

static void stop_sandbox(struct owner *w)
{
	if (w->listen_fd >= 0) {
		close(w->listen_fd);
		w->listen_fd = -1;
		unlink(w->join_path);
	}
	if (!w->bwrap)
		return;
	if (w->ctl >= 0)
		msg_send(w->ctl, MSG_STOP, 0, 0, NULL, 0, NULL, 0);
	/* Meanwhile the init reports the commands it ends: pass their statuses on. */
	int64_t end = mono_ms() + STOP_WAIT_MS;
	for (;;) {
		int64_t left = end - mono_ms();
		if (left <= 0)
			break;
		struct pollfd p[3] = {
		    {w->bwrap_fd, POLLIN, 0}, {w->ctl, POLLIN, 0}, {w->err_fd, POLLIN, 0}};
		poll(p, 3, (int)left);
		if (p[1].revents)
			handle_ctl(w);
		if (p[2].revents)
			owner_drain_err(w);
		if (p[0].revents)
			break;
	}
	/* PID 1 of the sandbox: when it dies the kernel kills every process of the domain. */
	if (proc_wait(w->bwrap, 0) == -ETIMEDOUT) {
		owner_say(w, "the sandbox did not end by itself: killing it");
		kill(w->init_pid, SIGKILL);
		proc_stop(w->bwrap, SIGKILL, 1000);
	}
	handle_ctl(w);
	w->bwrap = 0;
}

static void teardown(struct owner *w)
{
	/* The daemons first: the windows leave the screen at once, and the daemon does not warn
	 * about an agent that goes away. */
	if (w->daemon)
		proc_stop(w->daemon, SIGTERM, DAEMON_STOP_MS);
	if (w->audio_daemon)
		proc_stop(w->audio_daemon, SIGTERM, DAEMON_STOP_MS);
	stop_sandbox(w);
	if (w->pasta)
		proc_stop(w->pasta, SIGTERM, 200);
	for (int i = 0; i < w->ncmds; i++)
		if (w->cmds[i].conn >= 0)
			msg_send(w->conns[w->cmds[i].conn], MSG_EXITED, 0, 128 + SIGKILL, NULL, 0,
				 NULL, 0);
	for (int k = 0; k < OWNER_MAX_CONNS; k++)
		if (w->conns[k] >= 0)
			close(w->conns[k]);
	int fds[] = {w->ctl,	  w->err_fd,	     w->bwrap_fd, w->daemon_fd,
		     w->pasta_fd, w->pasta_ready_fd, w->sigfd};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	registry_release(w->lock);
	owner_say(w, "domain gone");
}

int owner_run(const struct run_opts *o, struct registry_lock *l, const struct owner_env *env)
{
	struct owner *w = calloc(1, sizeof(*w));
	if (!w) {
		fprintf(stderr, "seam-run: out of memory\n");
		registry_release(l);
		return 1;
	}
	w->o = o;
	w->env = env;
	w->lock = l;
	w->exit_code = 1;
	w->daemon_fd = w->bwrap_fd = w->pasta_fd = w->pasta_ready_fd = -1;
	w->ctl = w->listen_fd = w->sigfd = w->err_fd = -1;
	for (int k = 0; k < OWNER_MAX_CONNS; k++)
		w->conns[k] = -1;
	registry_path(l->name, "chan", w->chan, sizeof(w->chan));
	registry_path(l->name, "join.sock", w->join_path, sizeof(w->join_path));
	w->info = (struct registry_info){.owner = getpid(), .net = o->net};
	owner_pick_user(w);
	snprintf(w->info.label, sizeof(w->info.label), "%s", o->label.name);
	snprintf(w->info.kind, sizeof(w->info.kind), "%s", o->disposable ? "disposable" : "named");

	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	w->sigfd = proc_signals(sigs, sizeof(sigs) / sizeof(sigs[0]), true);
	owner_say(w, "starting: label %s, %s, screen %ux%u", o->label.name,
		  o->net ? "network through pasta" : "loopback only", o->width, o->height);

	if (owner_start_gui_daemon(w) == 0 && (!o->audio || owner_start_audio_daemon(w) == 0) &&
	    owner_start_sandbox(w) == 0) {
		/* Once, now that the PID namespace is known: --list and --kill read it. */
		registry_write_info(w->lock, &w->info);
		w->ready_deadline = mono_ms() + SANDBOX_READY_MS;
		run_loop(w);
	}
	teardown(w);
	int code = w->exit_code;
	free(w);
	return code;
}
