/* The domain's network. Without --net the sandbox's own network namespace has only loopback. With
 * --net, pasta (from Debian's passt) connects that namespace to the world as a user-mode stack:
 * the host's network namespace is never shared, so the host's abstract sockets (where the X server
 * also listens) stay out of reach, and pasta is told to forward nothing between the two loopbacks.
 */
#ifndef SEAM_SANDBOX_NET_H
#define SEAM_SANDBOX_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where the domain sends DNS queries when the host's resolver is on the host's loopback (which the
 * domain cannot reach): pasta forwards what goes there to the host's resolver. Link-local, so no
 * real server can have it. */
#define NET_DNS_FORWARD "169.254.53.53"

/* Checks that a networked domain could not reach the host's X server or audio server over TCP on
 * one of the host's addresses (a listener on loopback is out of reach, one on another address is
 * not). display is $DISPLAY. Returns 0, or -1 with why (a sentence) filled. */
int net_check_host(const char *display, char *why, size_t size);

/* A pipe to bind as the domain's /etc/resolv.conf, when the host's resolver is on loopback
 * (systemd-resolved's 127.0.0.53, dnsmasq): the domain then asks NET_DNS_FORWARD. Returns the read
 * end, -1 when the host's file serves as it is, or -errno. */
int net_resolv_fd(void);

/* Starts pasta, attached to the network namespace (and user namespace) of the sandbox's PID 1
 * init_pid, with nothing forwarded between the loopbacks and no mapping of the gateway to the
 * host. dns_forward: also forward NET_DNS_FORWARD to the host's resolver. *ready_fd becomes
 * readable when pasta has configured the namespace (a pid to read) or failed (end of file).
 * Returns 0 or -errno (-ENOENT: pasta is not installed). */
int net_start_pasta(pid_t init_pid, bool dns_forward, bool verbose, pid_t *pid, int *ready_fd);

/* Reads pasta's readiness from ready_fd: 0 when it is up, -1 when it failed. Closes ready_fd. */
int net_pasta_ready(int ready_fd);

#endif
