/* seam-open: a file opened in a domain, from a copy. The copy travels on seam-run's stdin into the
 * domain, where a fixed shell script (the file's name only ever an argument, never part of a
 * command string) writes it into the home and runs the default application the domain has for it;
 * with --save-back the script sends the copy back on stdout once the application has exited, and a
 * changed copy is written next to the original under a new name after the user agreed. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/domain.h"
#include "launch/desktop.h"
#include "launch/dirs.h"
#include "launch/mime.h"
#include "sandbox/opts.h"

#define PROG "seam-open"
/* Stands for the copy's path in the application's arguments until the script inside knows it. */
#define OPEN_MARKER "@@seam-open-file@@"
/* Largest copy taken back with --save-back (it is held in memory until the user decides). */
#define OPEN_SAVE_MAX (1024ull * 1024 * 1024)
/* How many names "STEM (DOMAIN N)EXT" are tried beside the original. */
#define OPEN_NAME_TRIES 100

/* Run by /bin/sh inside the domain as: sh -c SCRIPT seam-open DIR NAME MARKER SAVEBACK APP...
 * Writes stdin to $HOME/DIR/NAME (never over an existing file: "STEM (N)EXT" instead), runs APP
 * with MARKER replaced by that path, and with SAVEBACK=1 sends "seam-open-copy DOMAIN SIZE\n" and
 * the copy on the original stdout. The application gets neither that stdout nor stdin. */
static const char open_script[] =
    "exec 3>&1 1>&2\n"
    "d=$HOME${1:+/$1} n=$2 m=$3 s=$4\n"
    "shift 4\n"
    "mkdir -p -- \"$d\" || exit 125\n"
    "case $n in ?*.*) b=${n%.*} e=.${n##*.} ;; *) b=$n e= ;; esac\n"
    "f=$d/$n i=1\n"
    "until (set -C; exec cat >\"$f\") 2>/dev/null; do\n"
    "  { [ -e \"$f\" ] || [ -L \"$f\" ]; } && [ $i -lt 100 ] || exit 125\n"
    "  i=$((i + 1)) f=\"$d/$b ($i)$e\"\n"
    "done\n"
    "for a do shift; if [ \"$a\" = \"$m\" ]; then set -- \"$@\" \"$f\"; "
    "else set -- \"$@\" \"$a\"; fi; done\n"
    "\"$@\" </dev/null 3>&-\n"
    "r=$?\n"
    "if [ \"$s\" = 1 ]; then\n"
    "  printf 'seam-open-copy %s %s\\n' \"$SEAM_DOMAIN\" \"$(wc -c <\"$f\")\" >&3\n"
    "  cat -- \"$f\" >&3\n"
    "fi\n"
    "exit $r\n";

static void usage(void)
{
	printf(
	    "usage: seam-open --disposable [--save-back] FILE\n"
	    "       seam-open --domain NAME FILE\n"
	    "Opens a copy of FILE with the domain's default application for it.\n"
	    "  --disposable   in a new disposable domain, which vanishes with the copy when the\n"
	    "                 application exits\n"
	    "  --save-back    if the application changed the copy, offer to save it next to FILE\n"
	    "                 under a new name (SEAM_OPEN_CONFIRM=yes|no answers without asking)\n"
	    "  --domain NAME  in the named domain, whose home keeps the copy in Incoming/host/\n"
	    "  -h, --help     this text\n");
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copies from (from its start) to to, at most max bytes (0: all). Returns bytes copied or -errno.
 */
static long long copy_fd(int from, int to, unsigned long long max)
{
	char buf[65536];
	unsigned long long done = 0;
	for (;;) {
		size_t want = sizeof(buf);
		if (max && max - done < want)
			want = (size_t)(max - done);
		if (max && !want)
			break;
		ssize_t r = read(from, buf, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		int rc = write_all(to, buf, (size_t)r);
		if (rc)
			return rc;
		done += (size_t)r;
	}
	return (long long)done;
}

/* Whether the two files (read from their start) differ. */
static bool differ(int a, int b)
{
	char x[65536], y[65536];
	if (lseek(a, 0, SEEK_SET) || lseek(b, 0, SEEK_SET))
		return true;
	for (;;) {
		ssize_t n = read(a, x, sizeof(x));
		if (n < 0)
			return true;
		ssize_t got = 0;
		while (got < n) {
			ssize_t r = read(b, y + got, (size_t)(n - got));
			if (r <= 0)
				return true;
			got += r;
		}
		if (memcmp(x, y, (size_t)n))
			return true;
		if (n == 0)
			return read(b, y, 1) != 0;
	}
}

/* The copy the domain sent back: "seam-open-copy DOMAIN SIZE\n" then SIZE bytes, into a memfd.
 * The domain is not trusted: the header is checked, and a short copy is dropped. Returns the memfd
 * or -errno; domain gets the name the disposable gave (a disp<N> name). */
static int read_back(int in, char domain[DOMAIN_NAME_MAX + 1], unsigned long long *size)
{
	char line[128];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		ssize_t r = read(in, line + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EPIPE;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	char name[64], *end;
	const char *num;
	if (sscanf(line, "seam-open-copy %63s", name) != 1 || !opts_name_is_disposable(name) ||
	    !(num = strrchr(line, ' ')) || num[1] < '0' || num[1] > '9')
		return -EPROTO;
	errno = 0;
	*size = strtoull(num + 1, &end, 10);
	if (*end || errno || *size > OPEN_SAVE_MAX)
		return -EFBIG;
	if (strlen(name) > DOMAIN_NAME_MAX)
		return -EPROTO;
	memcpy(domain, name, strlen(name) + 1);
	int fd = memfd_create("seam-open-copy", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	long long got = copy_fd(in, fd, *size);
	if (got < 0 || (unsigned long long)got != *size) {
		close(fd);
		return -EPIPE;
	}
	return fd;
}

/* Asks the user on the host (zenity), or SEAM_OPEN_CONFIRM=yes|no. */
static bool confirm(const char *text)
{
	const char *answer = getenv("SEAM_OPEN_CONFIRM");
	if (answer && answer[0])
		return !strcmp(answer, "yes");
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		execlp("zenity", "zenity", "--question", "--no-markup", "--title",
		       "Seam: save a changed copy", "--text", text, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Writes the changed copy next to path as "STEM (DOMAIN)EXT", "STEM (DOMAIN 2)EXT", ..., never
 * over an existing file, after the user agreed. Returns 0 or the exit status. */
static int save_back(const char *path, const char *base, int copy, const char *domain,
		     unsigned long long size)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], text[2 * NAME_MAX + 256];
	const char *dot = strrchr(base, '.');
	int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
	const char *ext = base + stem;
	if (dirs_parent(path, dir))
		return cli_error(PROG, "%s: path too long", path);
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return cli_error(PROG, "%s: %s", dir, strerror(errno));
	int fd = -1;
	for (int i = 1; i <= OPEN_NAME_TRIES && fd < 0; i++) {
		char tag[DOMAIN_NAME_MAX + 16];
		snprintf(tag, sizeof(tag), i == 1 ? " (%s)" : " (%s %d)", domain, i);
		if (snprintf(name, sizeof(name), "%.*s%s%s", stem, base, tag, ext) >=
		    (int)sizeof(name)) {
			close(dfd);
			return cli_error(PROG, "%s: the name is too long for a copy beside it",
					 base);
		}
		if (i == 1) {
			snprintf(
			    text, sizeof(text),
			    "The copy of \"%s\" opened in the disposable domain %s was changed "
			    "(%llu bytes).\n\nSave it next to the original as \"%s\"? "
			    "The original stays as it is.",
			    base, domain, size, name);
			if (!confirm(text)) {
				close(dfd);
				fprintf(stderr, PROG ": the changed copy was not saved\n");
				return 0;
			}
		}
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST) {
			int err = errno;
			close(dfd);
			return cli_error(PROG, "%s/%s: %s", dir, name, strerror(err));
		}
	}
	close(dfd);
	if (fd < 0)
		return cli_error(PROG, "no free name for the copy beside %s", base);
	long long n = lseek(copy, 0, SEEK_SET) ? -EIO : copy_fd(copy, fd, 0);
	if (close(fd) || n < 0)
		return cli_error(PROG, "%s/%s: could not be written", dir, name);
	fprintf(stderr, PROG ": the changed copy is saved as %s/%s\n", dir, name);
	return 0;
}

struct open_opts {
	const char *domain; /* NULL: a disposable */
	bool save_back;
	const char *file;
};

static int parse(int argc, char **argv, struct open_opts *o)
{
	static const struct option longopts[] = {
	    {"disposable", no_argument, NULL, 'D'},
	    {"domain", required_argument, NULL, 'd'},
	    {"save-back", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool disposable = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			disposable = true;
			break;
		case 'd':
			o->domain = optarg;
			break;
		case 's':
			o->save_back = true;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			return cli_usage_error(PROG, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (disposable == !!o->domain)
		return cli_usage_error(PROG, "one of --disposable and --domain NAME is needed");
	if (o->domain &&
	    (!domain_name_is_hostname(o->domain) || opts_name_is_disposable(o->domain)))
		return cli_usage_error(PROG, "--domain '%s': a named domain is %s", o->domain,
				       "[a-z0-9][a-z0-9-]{0,31}, not disp<N>");
	if (o->save_back && !disposable)
		return cli_usage_error(PROG, "--save-back is for --disposable (a named domain "
					     "keeps its copy)");
	if (argc - optind != 1)
		return cli_usage_error(PROG, "one FILE is needed");
	o->file = argv[optind];
	return 0;
}

/* The file's own name: the last component of the path, trailing slashes ignored. */
static int base_name(const char *path, char base[NAME_MAX + 1])
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start && path[start - 1] != '/')
		start--;
	if (n - start > NAME_MAX || n == start)
		return -EINVAL;
	memcpy(base, path + start, n - start);
	base[n - start] = '\0';
	return strcmp(base, ".") && strcmp(base, "..") ? 0 : -EINVAL;
}

/* Starts seam-run with the script; its stdin (and with save_back, stdout) are pipes returned in
 * to_child and from_child. Returns its pid or -errno. */
static pid_t start(const char *const *argv, bool save_back, int *to_child, int *from_child)
{
	int in[2], out[2] = {-1, -1};
	if (pipe2(in, O_CLOEXEC))
		return -errno;
	if (save_back && pipe2(out, O_CLOEXEC)) {
		close(in[0]);
		close(in[1]);
		return -errno;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(in[0]);
		close(in[1]);
		if (save_back) {
			close(out[0]);
			close(out[1]);
		}
		return -err;
	}
	if (pid == 0) {
		/* seam-open killed (a file manager's job ended): the domain ends too. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(in[0], STDIN_FILENO);
		if (save_back)
			dup2(out[1], STDOUT_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	if (save_back)
		close(out[1]);
	*to_child = in[1];
	*from_child = out[0];
	return pid;
}

int main(int argc, char **argv)
{
	struct open_opts o = {0};
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;

	char base[NAME_MAX + 1];
	if (base_name(o.file, base))
		return cli_error(PROG, "%s: not a file name", o.file);
	int fd = open(o.file, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return cli_error(PROG, "%s: %s", o.file, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return cli_error(PROG, "%s: not a regular file", o.file);
	fcntl(fd, F_SETFL, 0);

	struct desktop_entry *e = malloc(sizeof(*e));
	struct desktop_argv *av = malloc(sizeof(*av));
	char type[MIME_TYPE_MAX], id[DESKTOP_ID_MAX], location[PATH_MAX], why[PATH_MAX + 256];
	char seam_run[PATH_MAX];
	if (!e || !av)
		return cli_error(PROG, "out of memory");
	mime_type_of(base, fd, type);
	if (mime_default_app(o.domain, type, e, id, location, why, sizeof(why)))
		return cli_error(PROG, "%s: %s", o.file, why);
	if (desktop_exec_argv(e, OPEN_MARKER, location, av, why, sizeof(why)))
		return cli_error(PROG, "%s: %s", id, why);
	if (dirs_beside_self("seam-run", seam_run))
		return cli_error(PROG, "cannot find its own directory (for seam-run)");

	const char *args[DESKTOP_ARGS_MAX + 20];
	int n = 0;
	args[n++] = seam_run;
	if (o.domain) {
		args[n++] = "--domain";
		args[n++] = o.domain;
	} else {
		args[n++] = "--disposable";
	}
	args[n++] = "--";
	args[n++] = "/bin/sh";
	args[n++] = "-c";
	args[n++] = open_script;
	args[n++] = "seam-open";
	args[n++] = o.domain ? "Incoming/host" : "";
	args[n++] = base;
	args[n++] = OPEN_MARKER;
	args[n++] = o.save_back ? "1" : "0";
	if (e->terminal) {
		args[n++] = "x-terminal-emulator";
		args[n++] = "-e";
	}
	for (int i = 0; i < av->argc; i++)
		args[n++] = av->argv[i];
	args[n] = NULL;

	signal(SIGPIPE, SIG_IGN);
	int to_child = -1, from_child = -1;
	pid_t pid = start(args, o.save_back, &to_child, &from_child);
	if (pid < 0)
		return cli_error(PROG, "cannot start seam-run: %s", strerror((int)-pid));
	long long sent = copy_fd(fd, to_child, 0);
	close(to_child);

	int copy = -1;
	char domain[DOMAIN_NAME_MAX + 1] = "";
	unsigned long long size = 0;
	if (o.save_back) {
		copy = read_back(from_child, domain, &size);
		close(from_child);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (sent < 0 || (sent != (long long)st.st_size && exit_status == 0))
		return cli_error(PROG, "%s: the copy did not reach the domain", o.file);
	if (o.save_back && copy < 0 && exit_status == 0)
		fprintf(stderr, PROG ": the copy could not be read back from the domain\n");
	if (copy >= 0 && differ(fd, copy))
		rc = save_back(o.file, base, copy, domain, size);
	free(e);
	free(av);
	return rc ? rc : exit_status;
}
