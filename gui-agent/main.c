/* seam-gui-agent: options, set-up and the poll loop; the agent itself is libseam-agent
 * (gui-agent/agent.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/log.h"
#include "common/sysfilter.h"
#include "gui-agent/agent.h"
#include "gui-agent/options.h"

/* The one loop: X events, the channel, close deadlines, dump retries and signals. Nothing wakes it
 * when nothing happens. Returns the exit status. */
static int run(struct agent *a, int sigfd)
{
	for (;;) {
		struct pollfd p[AGENT_NFDS + 1];
		int timeout;
		if (agent_prepare(a, p, &timeout))
			return 1;
		p[AGENT_NFDS] = (struct pollfd){.fd = sigfd, .events = POLLIN};
		if (poll(p, AGENT_NFDS + 1, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		if (p[AGENT_NFDS].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof(si)) == sizeof(si))
				log_info("signal %u: exiting", si.ssi_signo);
			return 0;
		}
		agent_dispatch(a, p);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	log_init("seam-gui-agent", NULL,
		 o.verbose >= 2	  ? LOG_DEBUG
		 : o.verbose == 1 ? LOG_INFO
				  : LOG_WARN);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	if (sigfd < 0) {
		log_error("signalfd: %s", strerror(errno));
		return 1;
	}

	struct agent *a;
	rc = agent_create(&o, &a);
	if (rc == 0) {
		char why[160];
		if (sysfilter_install(SYSFILTER_GUI_AGENT, why, sizeof(why))) {
			log_error("%s", why);
			rc = 1;
		} else {
			rc = run(a, sigfd);
		}
		agent_destroy(a);
	} else {
		rc = rc == -EINVAL ? CLI_USAGE_STATUS : 1;
	}
	close(sigfd);
	return rc;
}
