/* Desktop Entry files (the freedesktop Desktop Entry Specification): a bounded parser of the
 * [Desktop Entry] group, the Exec key's quoting and field codes, and the quoting of an argument
 * vector back into an Exec value. Pure C, no I/O (launch/dirs.h reads the files): nothing read
 * here is ever run through a shell. */
#ifndef SEAM_LAUNCH_DESKTOP_H
#define SEAM_LAUNCH_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>

/* Largest .desktop file read: real ones are a few KiB (most of it translations). */
#define DESKTOP_FILE_MAX (256u * 1024u)
/* Longest value kept, after unescaping, NUL included; longer values make the file invalid. */
#define DESKTOP_VALUE_MAX 2048u
/* Most arguments an Exec line may expand to (a file and an icon included). */
#define DESKTOP_ARGS_MAX 64u
/* Longest desktop file id ("org.example.App.desktop"), NUL included. */
#define DESKTOP_ID_MAX 128u

struct desktop_entry {
	char name[DESKTOP_VALUE_MAX]; /* Name (not a translation), unescaped */
	char exec[DESKTOP_VALUE_MAX]; /* Exec, unescaped as a string; its quoting is kept */
	char icon[DESKTOP_VALUE_MAX]; /* Icon: a theme name or an absolute path; may be empty */
	char mime[DESKTOP_VALUE_MAX]; /* MimeType: "a/b;c/d;" as written; may be empty */
	bool terminal;		      /* Terminal=true */
	bool no_display;	      /* NoDisplay=true */
	bool hidden;		      /* Hidden=true: the entry counts as deleted */
};

/* An Exec line split and expanded: argv[argc] is NULL; the strings live in buf. */
struct desktop_argv {
	int argc;
	char *argv[DESKTOP_ARGS_MAX + 1];
	char buf[2 * DESKTOP_VALUE_MAX + 4096];
};

/* Parses len bytes of a .desktop file: the [Desktop Entry] group only (the first group; comments
 * and blank lines may come before it), keys without a locale, values UTF-8 without control
 * characters, unescaped (\s \n \t \r \\; any other backslash is kept with what follows, for the
 * Exec key's own quoting). It must be Type=Application with an Exec. Returns 0, or -EINVAL with
 * "line N: problem" in why. */
int desktop_parse(const char *buf, size_t len, struct desktop_entry *e, char *why, size_t why_len);

/* Whether id is a desktop file id this program accepts: [A-Za-z0-9._-]+ ending in ".desktop",
 * shorter than DESKTOP_ID_MAX, not starting with '.' or '-'. */
bool desktop_id_valid(const char *id);

/* Splits e->exec into arguments by the specification's quoting rules (a double-quoted argument may
 * escape " ` $ \ with a backslash; reserved characters outside quotes are refused) and expands its
 * field codes, each of which must be a whole argument: %f %u %F %U become file (an absolute path)
 * or nothing without one, %i becomes "--icon" ICON (nothing without an icon), %c the name, %k
 * location (nothing without one), the deprecated %d %D %n %N %v %m nothing, and %% a '%' anywhere.
 * A file given to an Exec without a file code is appended. Returns 0, or -EINVAL with the problem
 * in why (an unknown or embedded field code, an unbalanced quote, too many or no arguments). */
int desktop_exec_argv(const struct desktop_entry *e, const char *file, const char *location,
		      struct desktop_argv *out, char *why, size_t why_len);

/* Writes argv (argc strings) as an Exec value, ready to follow "Exec=" in a file: each argument
 * that is empty or holds a reserved character or '%' is double-quoted with " ` $ \ escaped, '%'
 * becomes %%, and the result is escaped as a string (\\ \n \t \r). desktop_parse() then
 * desktop_exec_argv() without a file give argv back. Returns 0, -ENAMETOOLONG when out (cap bytes)
 * is too small, or -EINVAL for an argument with a control character other than newline, tab or
 * carriage return. */
int desktop_exec_quote(const char *const *argv, int argc, char *out, size_t cap);

/* value escaped for a string key of a .desktop file (\s for a leading space, \n \t \r \\). Returns
 * 0 or -ENAMETOOLONG. */
int desktop_escape(const char *value, char *out, size_t cap);

#endif
