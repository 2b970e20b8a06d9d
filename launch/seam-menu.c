/* seam-menu: a domain's applications in the desktop's menu. Each entry is written, with its tinted
 * icons, the domain's XDG menu file and its directory entry, into the domain's own directory
 * (~/.local/share/seam/domains/NAME/menu) and linked from the user's XDG directories; deleting the
 * domain's directory leaves only dangling links, which no menu shows and --list removes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/domain.h"
#include "launch/desktop.h"
#include "launch/dirs.h"
#include "launch/icon.h"
#include "sandbox/opts.h"
#include "sandbox/paths.h"
#include "window-decor/decor.h"

#define PROG "seam-menu"

static void usage(void)
{
	printf(
	    "usage: seam-menu --domain NAME [--label LABEL] APP.desktop...\n"
	    "       seam-menu --domain NAME --remove APP.desktop...\n"
	    "       seam-menu --list\n"
	    "Adds a domain's applications to the desktop's menu (a submenu per domain), each\n"
	    "running `seam-run --domain NAME -- ...` with its icon tinted in the domain's label.\n"
	    "  --domain NAME   the domain (a seam-run named domain)\n"
	    "  --label LABEL   its label color (default: the domain's configuration, else gray)\n"
	    "  --remove        remove these applications from the domain's menu\n"
	    "  --list          the domains' menu entries (and forget those of deleted domains)\n"
	    "  -h, --help      this text\n");
}

/* One domain's menu: where its files live and what they are named. */
struct menu {
	char name[DOMAIN_NAME_MAX + 1];
	struct domain_label label;
	char dir[PATH_MAX]; /* paths_seam_data()/domains/NAME/menu */
};

static int menu_path(const struct menu *m, const char *leaf, char buf[PATH_MAX])
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", m->dir, leaf);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* The app's id without ".desktop": the part of every file name after "seam-NAME-". */
static void app_stem(const char *id, char stem[DESKTOP_ID_MAX])
{
	snprintf(stem, DESKTOP_ID_MAX, "%.*s", (int)(strlen(id) - 8), id);
}

/* The user's XDG path of an icon: icons/hicolor/SxS/apps/FILE. */
static int icon_link_path(unsigned size, const char *file, char buf[PATH_MAX])
{
	char rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "icons/hicolor/%ux%u/apps/%s", size, size, file);
	return dirs_data_home(rel, buf);
}

/* Writes img tinted (or as it is) into the menu directory and links it into the user's theme. */
static int put_icon(const struct menu *m, const struct icon_image *img, const char *file)
{
	char real[PATH_MAX], rel[PATH_MAX], link[PATH_MAX];
	snprintf(rel, sizeof(rel), "icons/%u/%s", img->w, file);
	int rc = menu_path(m, rel, real);
	if (!rc)
		rc = dirs_parent(real, rel);
	if (!rc)
		rc = paths_mkdir_p(rel, 0755, geteuid());
	if (!rc)
		rc = icon_write_png(real, img);
	if (!rc)
		rc = icon_link_path(img->w, file, link);
	return rc ? rc : dirs_link(real, link);
}

/* The domain's plain icon (a square in its label color) under file. */
static int put_plain_icon(const struct menu *m, const char *file)
{
	uint32_t words[DECOR_PLAIN_ICON_WORDS];
	decor_plain_icon(words, m->label.rgb);
	struct icon_image img = {.w = words[0], .h = words[1], .argb = words + 2};
	return put_icon(m, &img, file);
}

/* Every size of the application's icon the template has, tinted; returns how many were written. */
static int put_app_icons(const struct menu *m, const char *icon, const char *file)
{
	char path[PATH_MAX], why[512];
	int written = 0;
	for (int i = 0; i <= ICON_SIZES_N; i++) {
		unsigned size = i < ICON_SIZES_N ? icon_sizes[i] : 0;
		if (!size && written)
			break;
		if (icon_find(icon, size, path))
			continue;
		struct icon_image img;
		if (icon_read_png(path, &img, why, sizeof(why))) {
			fprintf(stderr, PROG ": %s (skipped)\n", why);
			continue;
		}
		bool fits = img.w == img.h && (size == img.w || !size);
		if (fits && !size) {
			fits = false;
			for (int k = 0; k < ICON_SIZES_N; k++)
				fits |= icon_sizes[k] == img.w;
		}
		if (fits) {
			decor_tint_pixels(img.argb, img.argb, (size_t)img.w * img.h, m->label.rgb);
			if (!put_icon(m, &img, file))
				written++;
		}
		icon_free(&img);
	}
	return written;
}

/* Appends "Key=escaped value\n" to buf. */
static int add_line(char *buf, size_t cap, const char *key, const char *value)
{
	char esc[4 * DESKTOP_VALUE_MAX];
	if (desktop_escape(value, esc, sizeof(esc)))
		return -ENAMETOOLONG;
	size_t used = strlen(buf);
	int n = snprintf(buf + used, cap - used, "%s=%s\n", key, esc);
	return n < 0 || (size_t)n >= cap - used ? -ENAMETOOLONG : 0;
}

/* The domain's submenu: an XDG menu file merged into the applications menu, and its directory
 * entry, both linked from the user's XDG directories. */
static int put_submenu(const struct menu *m)
{
	char file[PATH_MAX], real[PATH_MAX], link[PATH_MAX], text[2048], rel[128];
	int rc;

	snprintf(file, sizeof(file), "seam-%s.png", m->name);
	rc = put_plain_icon(m, file);
	snprintf(text, sizeof(text),
		 "<!DOCTYPE Menu PUBLIC \"-//freedesktop//DTD Menu 1.0//EN\"\n"
		 " \"http://www.freedesktop.org/standards/menu-spec/1.0/menu.dtd\">\n"
		 "<!-- written by seam-menu: the applications of the Seam domain %s -->\n"
		 "<Menu>\n  <Name>Applications</Name>\n  <Menu>\n    <Name>seam-%s</Name>\n"
		 "    <Directory>seam-%s.directory</Directory>\n"
		 "    <Include><Category>X-Seam-%s</Category></Include>\n  </Menu>\n</Menu>\n",
		 m->name, m->name, m->name, m->name);
	snprintf(rel, sizeof(rel), "seam-%s.menu", m->name);
	if (!rc)
		rc = menu_path(m, rel, real);
	if (!rc)
		rc = dirs_write_file(real, text, strlen(text));
	snprintf(file, sizeof(file), "menus/applications-merged/%s", rel);
	if (!rc)
		rc = dirs_config_home(file, link);
	if (!rc)
		rc = dirs_link(real, link);

	char title[DOMAIN_NAME_MAX + 16];
	snprintf(title, sizeof(title), "Domain: %s", m->name);
	snprintf(text, sizeof(text), "[Desktop Entry]\nType=Directory\n");
	snprintf(rel, sizeof(rel), "seam-%s.directory", m->name);
	if (!rc)
		rc = add_line(text, sizeof(text), "Name", title);
	snprintf(title, sizeof(title), "seam-%s", m->name);
	if (!rc)
		rc = add_line(text, sizeof(text), "Icon", title);
	if (!rc)
		rc = menu_path(m, rel, real);
	if (!rc)
		rc = dirs_write_file(real, text, strlen(text));
	snprintf(file, sizeof(file), "desktop-directories/%s", rel);
	if (!rc)
		rc = dirs_data_home(file, link);
	return rc ? rc : dirs_link(real, link);
}

static int add_app(const struct menu *m, const char *id, const char *seam_run)
{
	struct desktop_entry *e = malloc(sizeof(*e));
	struct desktop_argv *av = malloc(sizeof(*av));
	char location[PATH_MAX], why[PATH_MAX + 512], stem[DESKTOP_ID_MAX], file[PATH_MAX];
	char real[PATH_MAX], link[PATH_MAX];
	char exec[4 * DESKTOP_VALUE_MAX], text[8 * DESKTOP_VALUE_MAX];
	int rc = -ENOMEM;

	if (!e || !av) {
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	rc = dirs_find_desktop(m->name, id, e, location, why, sizeof(why));
	if (rc)
		goto out;
	char problem[256];
	rc = desktop_exec_argv(e, NULL, location, av, problem, sizeof(problem));
	if (rc) {
		snprintf(why, sizeof(why), "%s: %s", location, problem);
		goto out;
	}
	const char *argv[DESKTOP_ARGS_MAX + 8];
	int argc = 0;
	argv[argc++] = seam_run;
	argv[argc++] = "--domain";
	argv[argc++] = m->name;
	argv[argc++] = "--";
	if (e->terminal) {
		argv[argc++] = "x-terminal-emulator";
		argv[argc++] = "-e";
	}
	for (int i = 0; i < av->argc; i++)
		argv[argc++] = av->argv[i];
	rc = desktop_exec_quote(argv, argc, exec, sizeof(exec));
	if (rc) {
		snprintf(why, sizeof(why), "%s: its Exec cannot be written back", id);
		goto out;
	}

	app_stem(id, stem);
	char title[DECOR_FULL_TITLE_SIZE], category[DOMAIN_NAME_MAX + 16];
	decor_format_title(m->name, e->name, strlen(e->name), title, sizeof(title));
	snprintf(file, sizeof(file), "seam-%s-%s.png", m->name, stem);
	if (!put_app_icons(m, e->icon, file))
		rc = put_plain_icon(m, file);
	snprintf(file, sizeof(file), "seam-%s-%s", m->name, stem);
	snprintf(category, sizeof(category), "X-Seam-%s;", m->name);
	snprintf(text, sizeof(text), "[Desktop Entry]\nType=Application\nExec=%s\n", exec);
	if (!rc)
		rc = add_line(text, sizeof(text), "Name", title);
	if (!rc)
		rc = add_line(text, sizeof(text), "Comment", "Runs in a Seam domain");
	if (!rc)
		rc = add_line(text, sizeof(text), "Icon", file);
	if (!rc)
		rc = add_line(text, sizeof(text), "Categories", category);
	if (!rc)
		rc = add_line(text, sizeof(text), "X-Seam-Domain", m->name);
	if (!rc)
		rc = add_line(text, sizeof(text), "X-Seam-Application", id);
	strcat(file, ".desktop");
	if (!rc)
		rc = menu_path(m, file, real);
	if (!rc)
		rc = dirs_write_file(real, text, strlen(text));
	snprintf(location, sizeof(location), "applications/%s", file);
	if (!rc)
		rc = dirs_data_home(location, link);
	if (!rc)
		rc = dirs_link(real, link);
	if (rc)
		snprintf(why, sizeof(why), "%s: cannot write its entry: %s", id, strerror(-rc));
out:
	if (rc)
		cli_error(PROG, "%s", why);
	free(e);
	free(av);
	return rc;
}

/* Removes path if it is a symlink to target (or any symlink, with target NULL, that dangles). */
static void unlink_link(const char *path, const char *target)
{
	char to[PATH_MAX];
	ssize_t n = readlink(path, to, sizeof(to) - 1);
	if (n < 0)
		return;
	to[n] = '\0';
	struct stat st;
	if (target ? !strcmp(to, target) : stat(path, &st) && errno == ENOENT)
		unlink(path);
}

/* Removes an icon file of the menu directory and its links, every size. */
static void remove_icons(const struct menu *m, const char *file)
{
	char real[PATH_MAX], rel[PATH_MAX], link[PATH_MAX];
	for (int i = 0; i < ICON_SIZES_N; i++) {
		snprintf(rel, sizeof(rel), "icons/%u/%s", icon_sizes[i], file);
		if (menu_path(m, rel, real) || icon_link_path(icon_sizes[i], file, link))
			continue;
		unlink_link(link, real);
		unlink(real);
		dirs_parent(real, rel);
		rmdir(rel);
	}
}

static bool has_entries(const struct menu *m)
{
	DIR *d = opendir(m->dir);
	bool any = false;
	for (struct dirent *de; d && !any && (de = readdir(d));)
		any = !strncmp(de->d_name, "seam-", 5) && strstr(de->d_name, ".desktop");
	if (d)
		closedir(d);
	return any;
}

static int remove_app(const struct menu *m, const char *id)
{
	char stem[DESKTOP_ID_MAX], file[256], real[PATH_MAX], link[PATH_MAX], rel[PATH_MAX];
	if (!desktop_id_valid(id))
		return cli_error(PROG, "'%s' is not a desktop file id (NAME.desktop)", id);
	app_stem(id, stem);
	snprintf(file, sizeof(file), "seam-%s-%s.desktop", m->name, stem);
	snprintf(rel, sizeof(rel), "applications/%s", file);
	if (menu_path(m, file, real) || dirs_data_home(rel, link))
		return cli_error(PROG, "%s: path too long", id);
	if (unlink(real))
		return cli_error(PROG, "%s is not in the menu of domain %s", id, m->name);
	unlink_link(link, real);
	snprintf(file, sizeof(file), "seam-%s-%s.png", m->name, stem);
	remove_icons(m, file);
	return 0;
}

/* After the last entry: the submenu, its icon and the menu directory go too. */
static void remove_submenu(const struct menu *m)
{
	char file[256], real[PATH_MAX], link[PATH_MAX], rel[PATH_MAX];
	snprintf(file, sizeof(file), "seam-%s.menu", m->name);
	snprintf(rel, sizeof(rel), "menus/applications-merged/%s", file);
	if (!menu_path(m, file, real) && !dirs_config_home(rel, link)) {
		unlink_link(link, real);
		unlink(real);
	}
	snprintf(file, sizeof(file), "seam-%s.directory", m->name);
	snprintf(rel, sizeof(rel), "desktop-directories/%s", file);
	if (!menu_path(m, file, real) && !dirs_data_home(rel, link)) {
		unlink_link(link, real);
		unlink(real);
	}
	snprintf(file, sizeof(file), "seam-%s.png", m->name);
	remove_icons(m, file);
	if (!menu_path(m, "icons", real))
		rmdir(real);
	rmdir(m->dir);
}

/* Dangling seam-* links in dir: what a deleted domain left. */
static void prune_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char path[PATH_MAX];
	for (struct dirent *de; d && (de = readdir(d));) {
		if (strncmp(de->d_name, "seam-", 5))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path))
			unlink_link(path, NULL);
	}
	if (d)
		closedir(d);
}

static void prune(void)
{
	char dir[PATH_MAX];
	if (!dirs_data_home("applications", dir))
		prune_dir(dir);
	if (!dirs_data_home("desktop-directories", dir))
		prune_dir(dir);
	if (!dirs_config_home("menus/applications-merged", dir))
		prune_dir(dir);
	for (int i = 0; i < ICON_SIZES_N; i++)
		if (!icon_link_path(icon_sizes[i], "", dir))
			prune_dir(dir);
}

/* One line per entry: "NAME APP.desktop [NAME] Title", printable ASCII only (entries are ours, the
 * title came from a domain's file). */
static int list(void)
{
	char base[PATH_MAX], dir[PATH_MAX + 64], path[2 * PATH_MAX], why[256];
	prune();
	if (paths_seam_data(base, sizeof(base)))
		return cli_error(PROG, "the data directory's path is too long");
	strcat(base, "/domains");
	DIR *d = opendir(base);
	struct desktop_entry *e = malloc(sizeof(*e));
	for (struct dirent *de; d && e && (de = readdir(d));) {
		if (!domain_name_is_hostname(de->d_name))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s/menu", base, de->d_name);
		DIR *md = opendir(dir);
		for (struct dirent *me; md && (me = readdir(md));) {
			size_t n = strlen(me->d_name);
			if (n < 9 || strcmp(me->d_name + n - 8, ".desktop"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, me->d_name);
			FILE *f = fopen(path, "re");
			int rc = f ? dirs_load_desktop(fileno(f), e, why, sizeof(why)) : -errno;
			if (f)
				fclose(f);
			if (rc)
				continue;
			for (char *p = e->name; *p; p++)
				*p = *p >= 0x20 && *p < 0x7f ? *p : '?';
			size_t skip = strlen("seam-") + strlen(de->d_name) + 1;
			printf("%s %.*s.desktop %s\n", de->d_name, (int)(n - 8 - skip),
			       me->d_name + skip, e->name);
		}
		if (md)
			closedir(md);
	}
	if (d)
		closedir(d);
	free(e);
	return 0;
}

/* Appends "label = L" to the domain's configuration file (created if need be), so that seam-run
 * frames the domain's windows in the color its menu icons have. */
static int remember_label(const char *name, const struct domain_label *label)
{
	char path[PATH_MAX], dir[PATH_MAX], line[64];
	int rc = paths_config_file(name, path, sizeof(path));
	if (!rc)
		rc = dirs_parent(path, dir);
	if (!rc)
		rc = paths_mkdir_p(dir, 0700, geteuid());
	if (rc)
		return rc;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int n =
	    snprintf(line, sizeof(line), "\n# set by seam-menu --label\nlabel = %s\n", label->name);
	rc = write(fd, line, (size_t)n) == n ? 0 : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* The label: --label, else the domain's configuration file's, else gray; a --label that differs
 * from the configuration is refused, since the domain's frames would not match its icons, and one
 * the configuration lacks is written there (remember_label). */
static int pick_label(struct menu *m, const char *label)
{
	struct run_opts o;
	char why[PATH_MAX + 256];
	memset(&o, 0, sizeof(o));
	snprintf(o.name, sizeof(o.name), "%s", m->name);
	if (label && domain_label_parse(label, &o.label))
		return cli_usage_error(PROG,
				       "--label '%s': expected red, orange, yellow, green, "
				       "gray, blue, purple, black or 0xRRGGBB",
				       label);
	struct domain_label given = o.label;
	if (opts_load_config(&o, why, sizeof(why))) {
		opts_free(&o);
		return cli_error(PROG, "%s", why);
	}
	if (label && o.label_set && o.label.rgb != given.rgb) {
		cli_error(PROG, "--label %s differs from domain %s's label %s (its configuration)",
			  given.name, m->name, o.label.name);
		opts_free(&o);
		return CLI_USAGE_STATUS;
	}
	if (label && !o.label_set) {
		int rc = remember_label(m->name, &given);
		if (rc) {
			opts_free(&o);
			return cli_error(PROG, "cannot write domain %s's label: %s", m->name,
					 strerror(-rc));
		}
		o.label = given;
		o.label_set = true;
	}
	opts_defaults(&o);
	m->label = o.label;
	opts_free(&o);
	return 0;
}

/* APP or APP.desktop as a desktop file id, into id (DESKTOP_ID_MAX + 16 bytes). */
static const char *app_id(const char *arg, char *id)
{
	size_t n = strlen(arg);
	snprintf(id, DESKTOP_ID_MAX + 16, "%.*s%s", (int)DESKTOP_ID_MAX, arg,
		 n > 8 && !strcmp(arg + n - 8, ".desktop") ? "" : ".desktop");
	return id;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"domain", required_argument, NULL, 'd'}, {"label", required_argument, NULL, 'l'},
	    {"remove", no_argument, NULL, 'r'},	      {"list", no_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0},
	};
	const char *domain = NULL, *label = NULL;
	bool remove = false, do_list = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			domain = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'r':
			remove = true;
			break;
		case 'L':
			do_list = true;
			break;
		case 'h':
			usage();
			return 0;
		default:
			return cli_usage_error(PROG, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (do_list) {
		if (domain || label || remove || optind < argc)
			return cli_usage_error(PROG, "--list takes nothing else");
		return list();
	}
	if (!domain)
		return cli_usage_error(PROG, "--domain NAME or --list is needed");
	if (!domain_name_is_hostname(domain) || opts_name_is_disposable(domain))
		return cli_usage_error(PROG, "--domain '%s': a named domain is %s", domain,
				       "[a-z0-9][a-z0-9-]{0,31}, not disp<N>");
	if (remove && label)
		return cli_usage_error(PROG, "--remove takes no --label");
	if (optind >= argc)
		return cli_usage_error(PROG, "no APP.desktop given");

	struct menu m;
	memset(&m, 0, sizeof(m));
	snprintf(m.name, sizeof(m.name), "%s", domain);
	char data[PATH_MAX];
	if (paths_seam_data(data, sizeof(data)) ||
	    snprintf(m.dir, sizeof(m.dir), "%s/domains/%s/menu", data, m.name) >=
		(int)sizeof(m.dir))
		return cli_error(PROG, "the data directory's path is too long");

	int status = 0;
	if (remove) {
		for (int i = optind; i < argc; i++) {
			char id[DESKTOP_ID_MAX + 16];
			if (remove_app(&m, app_id(argv[i], id)))
				status = 1;
		}
		if (!has_entries(&m))
			remove_submenu(&m);
		return status;
	}

	int rc = pick_label(&m, label);
	if (rc)
		return rc;
	char seam_run[PATH_MAX];
	if (dirs_beside_self("seam-run", seam_run))
		return cli_error(PROG, "cannot find its own directory (for seam-run)");
	rc = paths_mkdir_p(m.dir, 0700, geteuid());
	if (rc)
		return cli_error(PROG, "%s: %s", m.dir, strerror(-rc));
	for (int i = optind; i < argc; i++) {
		char id[DESKTOP_ID_MAX + 16];
		if (add_app(&m, app_id(argv[i], id), seam_run))
			status = 1;
	}
	if (has_entries(&m)) {
		rc = put_submenu(&m);
		if (rc)
			return cli_error(PROG, "cannot write the submenu of %s: %s", m.name,
					 strerror(-rc));
	} else {
		remove_submenu(&m);
	}
	return status;
}
