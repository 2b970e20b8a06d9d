/* seam-drv-client: a slow client of the guest driver's socket, for the Xen lab.
 *
 *   seam-drv-client SOCKET WINDOW DELAY_MS
 *
 * Asks the driver about WINDOW (an X window id, hex or decimal), waits DELAY_MS before reading
 * anything, then reads and checks the whole reply (protocol/drvsock.h). A reply of grant refs
 * larger than the driver's send buffer cannot go out in one send while nobody reads: the driver
 * must keep the rest and send it as the socket drains. Prints "grants N domain D" for an
 * OK_GRANTS reply (exit 0), else says what came and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "protocol/drvsock.h"

static int read_all(int fd, uint8_t *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = recv(fd, buf + got, len - got, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: seam-drv-client SOCKET WINDOW DELAY_MS\n");
		return 2;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("seam-drv-client: connect");
		return 1;
	}
	uint8_t req[PROTO_DRV_REQUEST_SIZE], hdr[PROTO_DRV_REPLY_SIZE];
	proto_drv_encode_request(&(struct proto_drv_request){(uint32_t)strtoul(argv[2], NULL, 0)},
				 req);
	if (send(fd, req, sizeof(req), 0) != (ssize_t)sizeof(req)) {
		perror("seam-drv-client: send");
		return 1;
	}
	usleep((useconds_t)atoi(argv[3]) * 1000u);
	struct proto_drv_reply r;
	char why[128];
	if (read_all(fd, hdr, sizeof(hdr)) ||
	    proto_drv_decode_reply(hdr, sizeof(hdr), 0, &r, why, sizeof(why))) {
		fprintf(stderr, "seam-drv-client: no valid reply header\n");
		return 1;
	}
	if (r.status != PROTO_DRV_OK_GRANTS) {
		printf("status %u\n", r.status);
		return 1;
	}
	uint32_t n = proto_drv_grant_count(&r), domid;
	size_t len = proto_drv_grants_size(n);
	uint8_t *body = malloc(len);
	uint32_t *refs = malloc((size_t)n * sizeof(uint32_t));
	if (!body || !refs || read_all(fd, body, len) ||
	    proto_drv_decode_grants(&r, body, len, &domid, refs, why, sizeof(why))) {
		fprintf(stderr, "seam-drv-client: bad grants body\n");
		return 1;
	}
	printf("grants %u domain %u\n", n, domid);
	free(body);
	free(refs);
	close(fd);
	return 0;
}
