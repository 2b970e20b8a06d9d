/* pasta for --net, and the checks around it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/net.h"
#include "sandbox/proc.h"

/* PulseAudio's TCP port (module-native-protocol-tcp). */
#define PULSE_TCP_PORT 4713
/* X servers listen on 6000 + the display number. */
#define X_TCP_BASE 6000

static int display_number(const char *display)
{
	const char *colon = display ? strrchr(display, ':') : NULL;
	if (!colon || colon[1] < '0' || colon[1] > '9')
		return -1;
	return atoi(colon + 1);
}

/* Whether a /proc/net/tcp{,6} local address (hex, as the kernel prints it) is loopback. */
static bool hex_addr_is_loopback(const char *hex)
{
	size_t n = strlen(hex);
	if (n == 8) {
		unsigned long v = strtoul(hex, NULL, 16);
		return (v & 0xff) == 127;
	}
	if (n != 32)
		return false;
	if (strcmp(hex, "00000000000000000000000001000000") == 0)
		return true;
	/* ::ffff:127.x.y.z */
	return strncmp(hex, "0000000000000000FFFF0000", 24) == 0 &&
	       (strtoul(hex + 24, NULL, 16) & 0xff) == 127;
}

/* Whether some socket in the host's network namespace listens on port off loopback. */
static bool listens_off_loopback(unsigned port)
{
	const char *files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	for (size_t f = 0; f < 2; f++) {
		FILE *fp = fopen(files[f], "re");
		if (!fp)
			continue;
		char line[512];
		bool found = false;
		while (!found && fgets(line, sizeof(line), fp)) {
			char local[64];
			unsigned p, st;
			if (sscanf(line, " %*d: %63[0-9A-Fa-f]:%x %*64[0-9A-Fa-f]:%*x %x", local,
				   &p, &st) != 3)
				continue;
			found = st == 0x0A && p == port && !hex_addr_is_loopback(local);
		}
		fclose(fp);
		if (found)
			return true;
	}
	return false;
}

int net_check_host(const char *display, char *why, size_t size)
{
	int d = display_number(display);
	if (d >= 0 && d < 1000 && listens_off_loopback(X_TCP_BASE + (unsigned)d)) {
		snprintf(why, size,
			 "the host X server listens on TCP port %d beyond loopback, where a "
			 "networked domain could reach it: start it with -nolisten tcp",
			 X_TCP_BASE + d);
		return -1;
	}
	if (listens_off_loopback(PULSE_TCP_PORT)) {
		snprintf(why, size,
			 "a PulseAudio server listens on TCP port %d beyond loopback, where a "
			 "networked domain could reach it: unload module-native-protocol-tcp or "
			 "bind it to 127.0.0.1",
			 PULSE_TCP_PORT);
		return -1;
	}
	return 0;
}

int net_resolv_fd(void)
{
	FILE *f = fopen("/etc/resolv.conf", "re");
	if (!f)
		return -1;
	char line[512], rest[4096] = "";
	bool loopback = false;
	size_t used = 0;
	while (fgets(line, sizeof(line), f)) {
		char addr[128];
		if (sscanf(line, " nameserver %127s", addr) == 1) {
			if (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0)
				loopback = true;
			continue;
		}
		size_t n = strlen(line);
		if (used + n < sizeof(rest)) {
			memcpy(rest + used, line, n + 1);
			used += n;
		}
	}
	fclose(f);
	if (!loopback)
		return -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	dprintf(p[1],
		"# seam-run: queries go through pasta to the host's resolver\n"
		"nameserver " NET_DNS_FORWARD "\n%s",
		rest);
	close(p[1]);
	return p[0];
}

static int open_ns(pid_t pid, const char *ns)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static bool same_ns(int fd, const char *ns)
{
	char path[64];
	struct stat a, b;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

int net_start_pasta(pid_t init_pid, bool dns_forward, bool verbose, pid_t *pid, int *ready_fd)
{
	char exe[PATH_MAX];
	if (proc_find_in_path("pasta", exe, sizeof(exe)))
		return -ENOENT;
	/* seam-run opens the namespaces and hands them over as descriptors: pasta drops its
	 * privileges before it opens its target, and then could not open another process's. */
	int netfd = open_ns(init_pid, "net");
	if (netfd < 0)
		return netfd;
	/* The user namespace that owns the network namespace: bwrap puts its PID 1 in a nested one
	 * (--disable-userns), from which the network namespace could not be configured. */
	int userfd = ioctl(netfd, NS_GET_USERNS);
	if (userfd < 0) {
		int e = errno;
		close(netfd);
		return -e;
	}
	fcntl(userfd, F_SETFD, FD_CLOEXEC);
	bool own_userns = !same_ns(userfd, "user");
	int ready[2];
	if (pipe2(ready, O_CLOEXEC)) {
		int e = errno;
		close(netfd);
		close(userfd);
		return -e;
	}
	/* In pasta: 3 = the network namespace, 4 = the user namespace, 5 = readiness. */
	char *argv[40];
	int n = 0;
	argv[n++] = "pasta";
	argv[n++] = "--config-net";
	argv[n++] = "--foreground";
	argv[n++] = "--quiet";
	/* Nothing forwarded into the domain, nothing from the domain's loopback to the host's, and
	 * the gateway address is the real gateway, never the host. */
	argv[n++] = "-t";
	argv[n++] = "none";
	argv[n++] = "-u";
	argv[n++] = "none";
	argv[n++] = "-T";
	argv[n++] = "none";
	argv[n++] = "-U";
	argv[n++] = "none";
	argv[n++] = "--no-map-gw";
	argv[n++] = "--pid";
	argv[n++] = "/proc/self/fd/5";
	if (geteuid() == 0) {
		/* pasta otherwise becomes nobody, and could not enter the namespaces. */
		argv[n++] = "--runas";
		argv[n++] = "0:0";
	}
	if (own_userns) {
		argv[n++] = "--userns";
		argv[n++] = "/proc/self/fd/4";
	}
	argv[n++] = "--netns";
	argv[n++] = "/proc/self/fd/3";
	if (dns_forward) {
		argv[n++] = "--dns-forward";
		argv[n++] = NET_DNS_FORWARD;
	}
	argv[n] = NULL;
	struct proc_spec s = {
	    .path = exe,
	    .argv = argv,
	    .fd_from = {-1, -1, verbose ? 2 : -1, netfd, userfd, ready[1]},
	    .fd_to = {0, 1, 2, 3, 4, 5},
	    .nfds = 6,
	    .die_with_parent = true,
	};
	int rc = proc_spawn(&s, pid);
	close(netfd);
	close(userfd);
	close(ready[1]);
	if (rc) {
		close(ready[0]);
		return rc;
	}
	*ready_fd = ready[0];
	return 0;
}

int net_pasta_ready(int ready_fd)
{
	char buf[32];
	ssize_t n;
	do
		n = read(ready_fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(ready_fd);
	return n > 0 ? 0 : -1;
}
