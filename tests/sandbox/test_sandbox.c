/* Check tests of seam-run's pure parts: names, sizes and shares; the messages between its
 * processes (what the owner accepts from inside the sandbox); and the bubblewrap command line. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/bwrap.h"
#include "sandbox/msg.h"
#include "sandbox/opts.h"
#include "suites.h"

/* ---- names and sizes ---------------------------------------------------------------------- */

START_TEST(test_disposable_names)
{
	ck_assert(opts_name_is_disposable("disp1"));
	ck_assert(opts_name_is_disposable("disp9999"));
	ck_assert(!opts_name_is_disposable("disp"));
	ck_assert(!opts_name_is_disposable("disp1a"));
	ck_assert(!opts_name_is_disposable("display"));
}
END_TEST

START_TEST(test_size_bounds)
{
	unsigned w, h;
	ck_assert_int_eq(opts_parse_size("1280x800", &w, &h), 0);
	ck_assert_uint_eq(w, 1280);
	ck_assert_uint_eq(h, 800);
	ck_assert_int_eq(opts_parse_size("16384x6144", &w, &h), 0);
	const char *bad[] = {"10x10",	"16385x100", "100x6145", "x100",     "100x",	      "100",
			     "1e3x100", "-100x100",  "100x100x", " 100x100", "9999999999x100"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(opts_parse_size(bad[i], &w, &h) == -1, "'%s' accepted", bad[i]);
}
END_TEST

/* The reason opts_parse or opts_load_config gave last. */
static char why[PATH_MAX + 512];

static int parse(struct run_opts *o, int argc, const char **argv)
{
	optind = 0;
	why[0] = '\0';
	return opts_parse(argc, (char **)argv, o, why, sizeof(why));
}

START_TEST(test_parse_defaults_to_a_disposable)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--", "xterm", "-e", "top"};
	ck_assert_int_eq(parse(&o, 5, argv), 0);
	ck_assert_int_eq(o.mode, OPTS_RUN);
	ck_assert(o.disposable);
	ck_assert_int_eq(o.argc, 3);
	ck_assert_str_eq(o.argv[2], "top");
}
END_TEST

START_TEST(test_parse_leaves_the_commands_options_alone)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--domain", "work", "xterm", "--net", "-v"};
	ck_assert_int_eq(parse(&o, 6, argv), 0);
	ck_assert(!o.net);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_str_eq(o.name, "work");
	ck_assert_int_eq(o.argc, 3);
}
END_TEST

START_TEST(test_parse_refuses_sharing_the_x_sockets)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--share", "/tmp", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv), -EINVAL);
	ck_assert_msg(strstr(why, "--share '/tmp': refused, it would expose /tmp/.X11-unix"), "%s",
		      why);
	const char *argv2[] = {"seam-run", "--share", "/", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv2), -EINVAL);
	ck_assert_str_eq(why, "--share '/': the whole file system cannot be shared");
	const char *argv3[] = {"seam-run", "--share", "/run", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv3), -EINVAL);
	const char *argv4[] = {"seam-run", "--share", "/nonexistent/seam", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv4), -ENOENT);
	ck_assert_str_eq(why, "--share '/nonexistent/seam': No such file or directory");
}
END_TEST

START_TEST(test_parse_share_ro_suffix)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--share", "/usr/share:ro", "--share",
			      "/usr/lib", "--",	     "true"};
	ck_assert_int_eq(parse(&o, 7, argv), 0);
	ck_assert_int_eq(o.n_shares, 2);
	ck_assert_str_eq(o.shares[0].path, "/usr/share");
	ck_assert(o.shares[0].ro);
	ck_assert(!o.shares[1].ro);
	opts_free(&o);
}
END_TEST

START_TEST(test_parse_list_and_kill_take_nothing_else)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--list"};
	ck_assert_int_eq(parse(&o, 2, argv), 0);
	ck_assert_int_eq(o.mode, OPTS_LIST);
	const char *argv2[] = {"seam-run", "--kill", "work", "--", "x"};
	ck_assert_int_eq(parse(&o, 5, argv2), -EINVAL);
	ck_assert_str_eq(why, "--kill takes no other options and no command");
	const char *argv3[] = {"seam-run", "--kill", "Work"};
	ck_assert_int_eq(parse(&o, 3, argv3), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "--kill 'Work': a domain name is 1 to 32 of a-z"));
}
END_TEST

START_TEST(test_parse_names_the_bad_argument)
{
	struct run_opts o;
	const char *argv[] = {"seam-run", "--label", "pink", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv), -EINVAL);
	ck_assert_str_eq(why, "--label 'pink': expected red, orange, yellow, green, gray, blue, "
			      "purple, black or 0xRRGGBB");
	const char *argv2[] = {"seam-run", "--size", "10x10", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, argv2), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "--size '10x10': expected WxH from 64x64"));
	const char *argv3[] = {"seam-run", "--bogus"};
	ck_assert_int_eq(parse(&o, 2, argv3), -EINVAL);
	ck_assert_str_eq(why, "unknown option '--bogus'");
	const char *argv4[] = {"seam-run", "--domain"};
	ck_assert_int_eq(parse(&o, 2, argv4), -EINVAL);
	ck_assert_str_eq(why, "--domain needs an argument");
}
END_TEST

/* ---- the domain's config file ------------------------------------------------------------- */

static char config_home[64];

/* A fresh $XDG_CONFIG_HOME with seam/domains/work.conf holding text. */
static void write_config(const char *text)
{
	snprintf(config_home, sizeof(config_home), "/tmp/seam-test-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(config_home));
	setenv("XDG_CONFIG_HOME", config_home, 1);
	char path[128];
	snprintf(path, sizeof(path), "%s/seam", config_home);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/seam/domains", config_home);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/seam/domains/work.conf", config_home);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_config(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", config_home);
	ck_assert_int_eq(system(cmd), 0);
	unsetenv("XDG_CONFIG_HOME");
}

/* opts_parse of "--domain work" (with "--label label" unless NULL), then the config file. */
static int load(struct run_opts *o, const char *label)
{
	const char *with[] = {"seam-run", "--domain", "work", "--label", label, "--", "true"};
	const char *without[] = {"seam-run", "--domain", "work", "--", "true"};
	int rc = label ? parse(o, 7, with) : parse(o, 5, without);
	return rc ? rc : opts_load_config(o, why, sizeof(why));
}

START_TEST(test_config_fills_what_the_command_line_left)
{
	char dir[] = "/tmp/seam-test-share-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char text[512];
	snprintf(text, sizeof(text),
		 "# a domain for work\nlabel = green  # trailing comment\nnet=yes#no space\n"
		 "size = 800x600\nshare = \"%s:ro\"\n",
		 dir);
	write_config(text);
	struct run_opts o;
	ck_assert_int_eq(load(&o, NULL), 0);
	ck_assert_str_eq(o.label.name, "green");
	ck_assert(o.label_set);
	ck_assert(o.net);
	ck_assert_uint_eq(o.width, 800);
	ck_assert_uint_eq(o.height, 600);
	ck_assert_int_eq(o.n_shares, 1);
	ck_assert(o.shares[0].ro);
	opts_free(&o);
	/* The command line wins. */
	ck_assert_int_eq(load(&o, "blue"), 0);
	ck_assert_str_eq(o.label.name, "blue");
	opts_free(&o);
	remove_config();
	rmdir(dir);
}
END_TEST

START_TEST(test_config_errors_name_file_line_and_key)
{
	struct run_opts o;
	write_config("label = blue\nnet = maybe\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why, "/seam/domains/work.conf:2: key 'net': 'maybe' is not yes or no"),
		      "%s", why);
	remove_config();
	write_config("colour = red\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why,
			     "work.conf:1: key 'colour': not a setting of a domain (label, net, "
			     "share, size, notifications)"),
		      "%s", why);
	remove_config();
	write_config("label = pink\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why, "work.conf:1: key 'label': 'pink': expected red,"), "%s", why);
	remove_config();
	write_config("share = /nonexistent/seam\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why, "work.conf:1: key 'share': '/nonexistent/seam': No such file"),
		      "%s", why);
	remove_config();
	write_config("just words\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why, "work.conf:1: expected 'key = value'"), "%s", why);
	remove_config();
}
END_TEST

START_TEST(test_notifications_off_by_option_or_config)
{
	struct run_opts o;
	const char *on[] = {"seam-run", "--domain", "work", "--", "true"};
	ck_assert_int_eq(parse(&o, 5, on), 0);
	ck_assert(!o.no_notifications); /* shown by default */
	opts_free(&o);
	const char *off[] = {"seam-run", "--no-notifications", "--", "true"};
	ck_assert_int_eq(parse(&o, 4, off), 0);
	ck_assert(o.no_notifications && o.no_notifications_from_cmdline);
	opts_free(&o);
	write_config("notifications = no\n");
	ck_assert_int_eq(load(&o, NULL), 0);
	ck_assert(o.no_notifications);
	opts_free(&o);
	remove_config();
	write_config("notifications = maybe\n");
	ck_assert_int_eq(load(&o, NULL), -EINVAL);
	ck_assert_msg(strstr(why, "work.conf:1: key 'notifications': 'maybe' is not yes or no"),
		      "%s", why);
	remove_config();
}
END_TEST

START_TEST(test_config_missing_is_no_error)
{
	struct run_opts o;
	setenv("XDG_CONFIG_HOME", "/nonexistent/seam-config", 1);
	ck_assert_int_eq(load(&o, NULL), 0);
	ck_assert(!o.label_set);
	unsetenv("XDG_CONFIG_HOME");
}
END_TEST

/* ---- messages ------------------------------------------------------------------------------ */

static int pair[2];

static void open_pair(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
}

static void close_pair(void)
{
	close(pair[0]);
	close(pair[1]);
}

static int count_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Sends raw bytes (a crafted message) with nfds copies of /dev/null beside them. */
static void send_raw(const void *buf, size_t len, int nfds)
{
	int fds[8];
	for (int i = 0; i < nfds; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct iovec iov = {(void *)buf, len};
	union {
		char b[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr a;
	} u;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds) {
		mh.msg_control = u.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	ck_assert_int_eq(sendmsg(pair[0], &mh, 0), (ssize_t)len);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

static struct msg m;

START_TEST(test_spawn_round_trip_with_fds)
{
	char payload[256];
	char *argv[] = {"xterm", "-e", "top", NULL};
	long n = msg_spawn_build(payload, sizeof(payload), "/home/me", 3, argv);
	ck_assert_int_gt(n, 0);
	int fds[3] = {0, 1, 2};
	ck_assert_int_eq(msg_send(pair[0], MSG_SPAWN, 7, 4, payload, (size_t)n, fds, 3), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), 0);
	ck_assert_uint_eq(m.type, MSG_SPAWN);
	ck_assert_uint_eq(m.id, 7);
	ck_assert_int_eq(m.nfds, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(fcntl(m.fds[i], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	char *out[MSG_MAX_ARGS];
	const char *cwd;
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), 0);
	ck_assert_str_eq(cwd, "/home/me");
	ck_assert_str_eq(out[0], "xterm");
	ck_assert_str_eq(out[2], "top");
	ck_assert_ptr_null(out[3]);
	msg_close_fds(&m);
}
END_TEST

START_TEST(test_recv_rejects_fds_on_a_status_and_closes_them)
{
	int before = count_fds();
	uint32_t w[4] = {MSG_EXITED, 1, 0, 0};
	send_raw(w, sizeof(w), 2);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_recv_rejects_a_spawn_without_its_three_fds)
{
	char body[16 + 8] = {0};
	uint32_t w[4] = {MSG_SPAWN, 1, 2, 8};
	memcpy(body, w, sizeof(w));
	memcpy(body + 16, "/\0true\0", 8);
	send_raw(body, sizeof(body), 2);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	send_raw(body, sizeof(body), 4);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
}
END_TEST

START_TEST(test_recv_rejects_unknown_types_and_wrong_lengths)
{
	uint32_t w[4] = {0, 1, 0, 0};
	send_raw(w, sizeof(w), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	w[0] = MSG_TYPE_MAX + 1;
	send_raw(w, sizeof(w), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	uint32_t v[5] = {MSG_WINDOWS, 0, 1, 8, 0}; /* says 8 bytes follow, 4 do */
	send_raw(v, sizeof(v), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	send_raw(v, 10, 0); /* shorter than a header */
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPROTO);
	uint32_t ok[4] = {MSG_WINDOWS, 0, 3, 0};
	send_raw(ok, sizeof(ok), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), 0);
	ck_assert_int_eq(m.value, 3);
}
END_TEST

START_TEST(test_recv_says_which_field_was_refused)
{
	char reason[160] = "";
	uint32_t w[4] = {MSG_SPAWN, 1, 2, 0};
	send_raw(w, sizeof(w), 2);
	ck_assert_int_eq(msg_recv(pair[1], &m, reason, sizeof(reason)), -EPROTO);
	ck_assert_msg(strstr(reason, "SPAWN.fds") != NULL, "%s", reason);
	uint32_t v[5] = {MSG_EXITED, 1, 0, 4, 0}; /* a status carries no payload */
	send_raw(v, sizeof(v), 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, reason, sizeof(reason)), -EPROTO);
	ck_assert_msg(strstr(reason, "EXITED.untrusted_len") != NULL, "%s", reason);
	send_raw(v, 10, 0);
	ck_assert_int_eq(msg_recv(pair[1], &m, reason, sizeof(reason)), -EPROTO);
	ck_assert_msg(strstr(reason, "header") != NULL, "%s", reason);
}
END_TEST

START_TEST(test_send_refuses_what_the_table_refuses)
{
	int fds[3] = {0, 1, 2};
	ck_assert_int_eq(msg_send(pair[0], MSG_EXITED, 1, 0, "x", 1, NULL, 0), -EINVAL);
	ck_assert_int_eq(msg_send(pair[0], MSG_EXITED, 1, 0, NULL, 0, fds, 3), -EINVAL);
	ck_assert_int_eq(msg_send(pair[0], MSG_SPAWN, 1, 2, "/\0x\0", 4, fds, 2), -EINVAL);
	ck_assert_int_eq(msg_send(pair[0], MSG_TYPE_MAX + 1, 1, 0, NULL, 0, NULL, 0), -EINVAL);
	char reason[128] = "";
	ck_assert_msg(frame_proto_check(&msg_frames, reason, sizeof(reason)) == 0, "%s", reason);
}
END_TEST

START_TEST(test_recv_reports_end_of_stream)
{
	close(pair[0]);
	pair[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(msg_recv(pair[1], &m, NULL, 0), -EPIPE);
}
END_TEST

START_TEST(test_spawn_parse_checks_the_strings)
{
	char *out[MSG_MAX_ARGS];
	const char *cwd;
	m = (struct msg){.type = MSG_SPAWN, .value = 2, .len = 7};
	memcpy(m.payload, "/\0true\0", 7);
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), 0);
	m.value = 3; /* one string missing */
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), -EPROTO);
	m.value = 1; /* one string too many */
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), -EPROTO);
	m.value = 2;
	m.len = 6; /* not NUL-terminated */
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), -EPROTO);
	m.len = 3;
	memcpy(m.payload, "/\0\0", 3); /* empty argv[0] */
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), -EPROTO);
	m.value = MSG_MAX_ARGS + 1;
	ck_assert_int_eq(msg_spawn_parse(&m, &cwd, out), -EPROTO);
}
END_TEST

START_TEST(test_spawn_build_refuses_too_long)
{
	char big[MSG_MAX_PAYLOAD + 10] = "";
	memset(big, 'a', sizeof(big) - 1);
	char *argv[] = {big, NULL};
	char payload[MSG_MAX_PAYLOAD];
	ck_assert_int_eq(msg_spawn_build(payload, sizeof(payload), "/", 1, argv), -E2BIG);
}
END_TEST

/* ---- the bubblewrap command line ------------------------------------------------------------ */

/* The command line built last, and the options it was built from (it may point into them). */
static struct bwrap_cmd cmd;
static struct run_opts build_opts;

static void build(bool disposable, int resolv_fd)
{
	build_opts = (struct run_opts){.disposable = disposable};
	struct bwrap_params p = {.o = &build_opts,
				 .name = "work",
				 .uid = 1000,
				 .gid = 1000,
				 .bwrap = "/usr/bin/bwrap",
				 .home = "/home/me",
				 .domain_home = disposable ? NULL : "/home/me/.local/share/seam/x",
				 .chan_dir = "/run/user/1000/seam/domains/work/chan",
				 .self_exe = "/usr/bin/seam-run",
				 .agent_exe = "/usr/bin/seam-gui-agent",
				 .info_fd = 4,
				 .resolv_fd = resolv_fd,
				 .width = 800,
				 .height = 600};
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus", 1);
	setenv("XAUTHORITY", "/home/me/.Xauthority", 1);
	setenv("DISPLAY", ":0", 1);
	setenv("LANG", "C.UTF-8", 1);
	ck_assert_int_eq(bwrap_build(&p, &cmd), 0);
}

/* Index of the argument sequence a [b [c]], or -1. */
static int find(const char *a, const char *b, const char *c)
{
	for (int i = 0; i < cmd.argc; i++)
		if (strcmp(cmd.argv[i], a) == 0 &&
		    (!b || (i + 1 < cmd.argc && !strcmp(cmd.argv[i + 1], b))) &&
		    (!c || (i + 2 < cmd.argc && !strcmp(cmd.argv[i + 2], c))))
			return i;
	return -1;
}

START_TEST(test_bwrap_makes_every_namespace)
{
	build(true, -1);
	const char *must[] = {"--unshare-user",	      "--disable-userns", "--unshare-ipc",
			      "--unshare-pid",	      "--unshare-uts",	  "--unshare-net",
			      "--unshare-cgroup-try", "--as-pid-1",	  "--die-with-parent",
			      "--new-session",	      "--clearenv"};
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		ck_assert_msg(find(must[i], NULL, NULL) >= 0, "%s missing", must[i]);
	ck_assert_int_ge(find("--cap-drop", "ALL", NULL), 0);
	ck_assert_int_lt(find("--share-net", NULL, NULL), 0);
	bwrap_free(&cmd);
}
END_TEST

START_TEST(test_bwrap_system_read_only_and_private_tmp_run_dev)
{
	build(true, -1);
	ck_assert_int_ge(find("--ro-bind", "/usr", "/usr"), 0);
	ck_assert_int_ge(find("--ro-bind", "/etc", "/etc"), 0);
	ck_assert_int_ge(find("--tmpfs", "/tmp", NULL), 0);
	ck_assert_int_ge(find("--tmpfs", "/run", NULL), 0);
	ck_assert_int_ge(find("--dev", "/dev", NULL), 0);
	ck_assert_int_ge(find("--proc", "/proc", NULL), 0);
	ck_assert_int_gt(find("--ro-bind", "/proc/sys", "/proc/sys"),
			 find("--proc", "/proc", NULL));
	ck_assert_int_ge(find("--ro-bind", "/run/user/1000/seam/domains/work/chan", "/run/seam"),
			 0);
	for (int i = 0; i < cmd.argc; i++) {
		ck_assert_msg(!strstr(cmd.argv[i], ".X11-unix"), "%s", cmd.argv[i]);
		ck_assert_msg(!strstr(cmd.argv[i], "Xauthority"), "%s", cmd.argv[i]);
		ck_assert_msg(!strstr(cmd.argv[i], "/bus"), "%s", cmd.argv[i]);
		ck_assert_msg(strcmp(cmd.argv[i], "/") != 0 ||
				  strcmp(cmd.argv[i - 1], "--bind") != 0,
			      "the root is bound");
	}
	bwrap_free(&cmd);
}
END_TEST

START_TEST(test_bwrap_home_tmpfs_or_persistent)
{
	build(true, -1);
	int tmp = find("--tmpfs", "/home/me", NULL), t = find("--tmpfs", "/tmp", NULL);
	ck_assert_int_ge(tmp, 0);
	ck_assert_int_gt(tmp, t); /* mounted after /tmp, so a home below /tmp stays visible */
	bwrap_free(&cmd);
	build(false, -1);
	ck_assert_int_ge(find("--bind", "/home/me/.local/share/seam/x", "/home/me"), 0);
	ck_assert_int_lt(find("--tmpfs", "/home/me", NULL), 0);
	bwrap_free(&cmd);
}
END_TEST

START_TEST(test_bwrap_passes_no_session_variable)
{
	build(true, -1);
	ck_assert_int_lt(find("--setenv", "DBUS_SESSION_BUS_ADDRESS", NULL), 0);
	ck_assert_int_lt(find("--setenv", "XAUTHORITY", NULL), 0);
	ck_assert_int_lt(find("--setenv", "DISPLAY", NULL), 0);
	ck_assert_int_ge(find("--setenv", "LANG", "C.UTF-8"), 0);
	ck_assert_int_ge(find("--setenv", "HOME", "/home/me"), 0);
	ck_assert_int_ge(find("--setenv", "XDG_RUNTIME_DIR", "/run/user/1000"), 0);
	bwrap_free(&cmd);
}
END_TEST

START_TEST(test_bwrap_init_is_last)
{
	build(true, 5);
	int dd = find("--", "/run/seam-bin/seam-run", "--sandbox-init");
	ck_assert_int_ge(dd, 0);
	ck_assert_int_ge(find("--size", "800x600", NULL), dd);
	ck_assert_int_ge(find("--ro-bind-data", "5", "/etc/resolv.conf"), 0);
	ck_assert_int_ge(find("--uid", "1000", NULL), 0);
	ck_assert_ptr_null(cmd.argv[cmd.argc]);
	bwrap_free(&cmd);
}
END_TEST

/* A domain of root's finds its shares where seam-run staged them, and shows them at their paths. */
START_TEST(test_bwrap_share_from_a_staged_source)
{
	build_opts = (struct run_opts){.disposable = true, .n_shares = 2};
	build_opts.shares[0].path = "/root/work";
	build_opts.shares[1].path = "/srv/docs";
	build_opts.shares[1].ro = true;
	struct bwrap_params p = {.o = &build_opts,
				 .name = "work",
				 .uid = 65534,
				 .gid = 65534,
				 .bwrap = "/usr/bin/bwrap",
				 .home = "/root",
				 .share_src_dir = "/run/seam-stage",
				 .chan_dir = "/run/seam-stage/chan",
				 .self_exe = "/run/seam-stage/seam-run",
				 .agent_exe = "/run/seam-stage/seam-gui-agent",
				 .info_fd = 4,
				 .resolv_fd = -1,
				 .width = 800,
				 .height = 600};
	ck_assert_int_eq(bwrap_build(&p, &cmd), 0);
	ck_assert_int_ge(find("--bind", "/run/seam-stage/share0", "/root/work"), 0);
	ck_assert_int_ge(find("--ro-bind", "/run/seam-stage/share1", "/srv/docs"), 0);
	ck_assert_int_eq(find("--bind", "/root/work", "/root/work"), -1);
	ck_assert_int_ge(find("--uid", "65534", NULL), 0);
	bwrap_free(&cmd);
}
END_TEST

static Suite *suite_sandbox(void)
{
	Suite *s = suite_create("sandbox");
	TCase *t = tcase_create("opts");
	tcase_add_test(t, test_disposable_names);
	tcase_add_test(t, test_size_bounds);
	tcase_add_test(t, test_parse_defaults_to_a_disposable);
	tcase_add_test(t, test_parse_leaves_the_commands_options_alone);
	tcase_add_test(t, test_parse_refuses_sharing_the_x_sockets);
	tcase_add_test(t, test_parse_share_ro_suffix);
	tcase_add_test(t, test_parse_list_and_kill_take_nothing_else);
	tcase_add_test(t, test_parse_names_the_bad_argument);
	tcase_add_test(t, test_config_fills_what_the_command_line_left);
	tcase_add_test(t, test_config_errors_name_file_line_and_key);
	tcase_add_test(t, test_config_missing_is_no_error);
	tcase_add_test(t, test_notifications_off_by_option_or_config);
	suite_add_tcase(s, t);
	t = tcase_create("msg");
	tcase_add_checked_fixture(t, open_pair, close_pair);
	tcase_add_test(t, test_spawn_round_trip_with_fds);
	tcase_add_test(t, test_recv_rejects_fds_on_a_status_and_closes_them);
	tcase_add_test(t, test_recv_rejects_a_spawn_without_its_three_fds);
	tcase_add_test(t, test_recv_rejects_unknown_types_and_wrong_lengths);
	tcase_add_test(t, test_recv_says_which_field_was_refused);
	tcase_add_test(t, test_send_refuses_what_the_table_refuses);
	tcase_add_test(t, test_recv_reports_end_of_stream);
	tcase_add_test(t, test_spawn_parse_checks_the_strings);
	tcase_add_test(t, test_spawn_build_refuses_too_long);
	suite_add_tcase(s, t);
	t = tcase_create("bwrap");
	tcase_add_test(t, test_bwrap_makes_every_namespace);
	tcase_add_test(t, test_bwrap_system_read_only_and_private_tmp_run_dev);
	tcase_add_test(t, test_bwrap_home_tmpfs_or_persistent);
	tcase_add_test(t, test_bwrap_passes_no_session_variable);
	tcase_add_test(t, test_bwrap_init_is_last);
	tcase_add_test(t, test_bwrap_share_from_a_staged_source);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_sandbox());
	srunner_add_suite(sr, suite_registry());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
