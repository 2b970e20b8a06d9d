/* The owner's state, shared by its start-up (owner_start.c) and its loop and teardown (owner.c).
 * Internal to seam-run's owner; owner.h is the public face. */
#ifndef SEAM_SANDBOX_OWNER_INTERNAL_H
#define SEAM_SANDBOX_OWNER_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox/msg.h"
#include "sandbox/owner.h"
#include "sandbox/registry.h"

/* Joining seam-runs connected at once, and commands running at once in the domain. */
#define OWNER_MAX_CONNS	   32
#define OWNER_MAX_COMMANDS 256
/* The tail of the sandbox's stderr kept for an error message. */
#define ERR_TAIL 512

struct command {
	uint32_t id;
	int conn; /* index into conns, -1: the owner's own, -2: its seam-run went away */
	char name[64];
};

struct owner {
	const struct run_opts *o;
	const struct owner_env *env;
	struct registry_lock *lock;
	struct registry_info info; /* what --list and --kill read */
	char chan[PATH_MAX];	   /* the channel directory (host side of /run/seam) */
	char join_path[PATH_MAX];  /* the join socket */
	/* Who the sandbox runs as (owner_pick_user); drop: not seam-run's own uid (root's domains)
	 */
	uid_t uid;
	gid_t gid;
	bool drop;
	/* Processes on the host: the daemons, the outer bwrap, the sandbox's PID 1, pasta. */
	pid_t daemon, audio_daemon, bwrap, init_pid, pasta;
	int daemon_fd, bwrap_fd, pasta_fd; /* their pidfds (-1: none) */
	int pasta_ready_fd;		   /* readable when pasta has configured the network */
	int ctl;			   /* the socket to the init (untrusted messages) */
	int listen_fd;			   /* the join socket, once ready */
	int sigfd;			   /* SIGINT, SIGTERM, SIGHUP */
	int err_fd;			   /* the sandbox's stderr */
	char err_tail[ERR_TAIL];
	int conns[OWNER_MAX_CONNS]; /* joining seam-runs (-1: free) */
	struct command cmds[OWNER_MAX_COMMANDS];
	int ncmds;
	uint32_t next_id;
	bool ready;		 /* the init said READY: Xvfb and the agent run */
	bool net_ready;		 /* pasta is up (or no --net) */
	bool first_sent;	 /* the owner's own command went to the init */
	bool stopping;		 /* the domain is ending */
	bool had_windows;	 /* a disposable has shown a window */
	bool dns_forward;	 /* the domain's resolv.conf points to NET_DNS_FORWARD */
	int64_t window_deadline; /* when a windowless disposable ends (0: none) */
	int64_t ready_deadline;
	int daemon_restarts;
	int exit_code; /* seam-run's status so far */
	/* Scratch space of the loop, too large for the stack: the message being handled, a
	 * command's argv (pointers into it), a payload being built. */
	struct msg msg;
	char *argv[MSG_MAX_ARGS];
	char payload[MSG_MAX_PAYLOAD];
};

/* With -v: one line on stderr, with the domain's name and the time since seam-run started. */
void owner_say(const struct owner *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Picks who the sandbox runs as: the user, or for root an unprivileged user (bwrap.h). */
void owner_pick_user(struct owner *w);

/* Start-up steps (owner_start.c). Each returns 0, or -1 after one line saying what failed. */
int owner_start_gui_daemon(struct owner *w);
int owner_start_audio_daemon(struct owner *w);
/* bwrap with the init inside; sets ctl, err_fd, bwrap, init_pid and the PID namespace. */
int owner_start_sandbox(struct owner *w);
/* pasta, once the init runs (MSG_UP). */
int owner_start_net(struct owner *w);
/* The join socket, once the domain is ready. */
int owner_listen_join(struct owner *w);

/* Reads what the sandbox printed on stderr: shown with -v, its tail kept for owner_err_line(). */
void owner_drain_err(struct owner *w);
/* The last non-empty line the sandbox printed. */
const char *owner_err_line(struct owner *w);

#endif
