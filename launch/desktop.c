/* Desktop Entry files: the [Desktop Entry] group, Exec quoting and field codes (launch/desktop.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "launch/desktop.h"

/* Characters the specification reserves in an Exec argument: outside double quotes they make the
 * line invalid, so an argument holding one is quoted when written. */
static const char reserved[] = " \t\n\r\"'\\><~|&;$*?#()`";

__attribute__((format(printf, 3, 4))) static int fail(char *why, size_t why_len, const char *fmt,
						      ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Unescapes a string value of len bytes into out (DESKTOP_VALUE_MAX bytes). */
static int unescape(const char *v, size_t len, char *out, unsigned line, char *why, size_t why_len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f)
			return fail(why, why_len, "line %u: a control character in a value", line);
		char add[2] = {(char)c, 0};
		size_t n = 1;
		if (c == '\\' && i + 1 < len) {
			char d = v[++i];
			if ((unsigned char)d < 0x20 || d == 0x7f)
				return fail(why, why_len, "line %u: a control character in a value",
					    line);
			switch (d) {
			case 's':
				add[0] = ' ';
				break;
			case 'n':
				add[0] = '\n';
				break;
			case 't':
				add[0] = '\t';
				break;
			case 'r':
				add[0] = '\r';
				break;
			case '\\':
				add[0] = '\\';
				break;
			default:
				add[1] = d;
				n = 2;
				break; /* Exec's own level (\" \$ ...) */
			}
		}
		if (o + n >= DESKTOP_VALUE_MAX)
			return fail(why, why_len, "line %u: a value longer than %u bytes", line,
				    DESKTOP_VALUE_MAX - 1);
		memcpy(out + o, add, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-';
}

/* The keys this parser keeps; each may appear once. */
enum key { K_TYPE, K_NAME, K_EXEC, K_ICON, K_MIME, K_TERMINAL, K_NODISPLAY, K_HIDDEN, K_COUNT };
static const char *const key_names[K_COUNT] = {"Type",	   "Name",     "Exec",	    "Icon",
					       "MimeType", "Terminal", "NoDisplay", "Hidden"};

static int boolean(const char *v, bool *out, unsigned line, char *why, size_t why_len)
{
	if (!strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "false"))
		*out = false;
	else
		return fail(why, why_len, "line %u: expected true or false", line);
	return 0;
}

int desktop_parse(const char *buf, size_t len, struct desktop_entry *e, char *why, size_t why_len)
{
	char type[DESKTOP_VALUE_MAX] = "";
	char value[DESKTOP_VALUE_MAX];
	bool seen[K_COUNT] = {false};
	bool in_group = false, had_group = false;
	unsigned line = 0;
	size_t pos = 0;

	memset(e, 0, sizeof(*e));
	if (len > DESKTOP_FILE_MAX)
		return fail(why, why_len, "larger than %u bytes", DESKTOP_FILE_MAX);
	while (pos < len) {
		const char *l = buf + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + 1;
		line++;
		if (n && l[n - 1] == '\r')
			n--;
		if (memchr(l, '\0', n))
			return fail(why, why_len, "line %u: a NUL byte", line);
		if (n == 0 || l[0] == '#')
			continue;
		if (l[0] == '[') {
			if (l[n - 1] != ']')
				return fail(why, why_len, "line %u: a malformed group header",
					    line);
			if (had_group)
				break; /* only the first group is ours */
			if (n != 15 || memcmp(l, "[Desktop Entry]", 15))
				return fail(why, why_len,
					    "line %u: the first group is not [Desktop Entry]",
					    line);
			in_group = had_group = true;
			continue;
		}
		if (!in_group)
			return fail(why, why_len, "line %u: a key before [Desktop Entry]", line);
		size_t k = 0;
		while (k < n && is_key_char(l[k]))
			k++;
		size_t key_len = k;
		if (key_len == 0)
			return fail(why, why_len, "line %u: not a key = value line", line);
		bool localized = k < n && l[k] == '[';
		if (localized) {
			const char *close = memchr(l + k, ']', n - k);
			if (!close)
				return fail(why, why_len, "line %u: a malformed locale", line);
			k = (size_t)(close - l) + 1;
		}
		while (k < n && l[k] == ' ')
			k++;
		if (k >= n || l[k] != '=')
			return fail(why, why_len, "line %u: not a key = value line", line);
		k++;
		while (k < n && l[k] == ' ')
			k++;
		if (localized)
			continue; /* translations are not used: the menu shows the domain's name */
		int rc = unescape(l + k, n - k, value, line, why, why_len);
		if (rc)
			return rc;
		enum key which = K_COUNT;
		for (int i = 0; i < K_COUNT; i++)
			if (strlen(key_names[i]) == key_len && !memcmp(l, key_names[i], key_len))
				which = (enum key)i;
		if (which == K_COUNT)
			continue;
		if (seen[which])
			return fail(why, why_len, "line %u: %s given twice", line,
				    key_names[which]);
		seen[which] = true;
		switch (which) {
		case K_TYPE:
			memcpy(type, value, sizeof(type));
			break;
		case K_NAME:
			memcpy(e->name, value, sizeof(e->name));
			break;
		case K_EXEC:
			memcpy(e->exec, value, sizeof(e->exec));
			break;
		case K_ICON:
			memcpy(e->icon, value, sizeof(e->icon));
			break;
		case K_MIME:
			memcpy(e->mime, value, sizeof(e->mime));
			break;
		case K_TERMINAL:
			rc = boolean(value, &e->terminal, line, why, why_len);
			break;
		case K_NODISPLAY:
			rc = boolean(value, &e->no_display, line, why, why_len);
			break;
		case K_HIDDEN:
			rc = boolean(value, &e->hidden, line, why, why_len);
			break;
		case K_COUNT:
			break;
		}
		if (rc)
			return rc;
	}
	if (!had_group)
		return fail(why, why_len, "no [Desktop Entry] group");
	if (strcmp(type, "Application"))
		return fail(why, why_len, "not an application (Type=%s)",
			    type[0] ? type : "missing");
	if (!e->name[0])
		return fail(why, why_len, "no Name");
	if (!e->exec[0])
		return fail(why, why_len, "no Exec");
	return 0;
}

bool desktop_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n <= 8 || n >= DESKTOP_ID_MAX || strcmp(id + n - 8, ".desktop"))
		return false;
	if (id[0] == '.' || id[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_key_char(id[i]) && id[i] != '.' && id[i] != '_')
			return false;
	return true;
}

/* The expansion under way: arguments appended into out. */
struct expand {
	struct desktop_argv *out;
	size_t used;
	char *why;
	size_t why_len;
};

static int push(struct expand *x, const char *s, size_t n)
{
	if (x->out->argc >= (int)DESKTOP_ARGS_MAX)
		return fail(x->why, x->why_len, "Exec: more than %u arguments", DESKTOP_ARGS_MAX);
	if (x->used + n + 1 > sizeof(x->out->buf))
		return fail(x->why, x->why_len, "Exec: too long once expanded");
	char *dst = x->out->buf + x->used;
	memcpy(dst, s, n);
	dst[n] = '\0';
	x->out->argv[x->out->argc++] = dst;
	x->out->argv[x->out->argc] = NULL;
	x->used += n + 1;
	return 0;
}

/* One argument of the Exec line, unquoted: a whole-argument field code is expanded, %% becomes %,
 * anything else with a % is refused. */
static int expand_arg(struct expand *x, const char *a, size_t n, const struct desktop_entry *e,
		      const char *file, const char *location, bool *took_file)
{
	if (n == 2 && a[0] == '%') {
		switch (a[1]) {
		case 'f':
		case 'u':
		case 'F':
		case 'U':
			*took_file = true;
			return file ? push(x, file, strlen(file)) : 0;
		case 'i':
			if (!e->icon[0])
				return 0;
			int rc = push(x, "--icon", 6);
			return rc ? rc : push(x, e->icon, strlen(e->icon));
		case 'c':
			return push(x, e->name, strlen(e->name));
		case 'k':
			return location ? push(x, location, strlen(location)) : 0;
		case 'd':
		case 'D':
		case 'n':
		case 'N':
		case 'v':
		case 'm':
			return 0;
		default:
			break;
		}
	}
	char tmp[DESKTOP_VALUE_MAX];
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i] == '%') {
			if (i + 1 < n && a[i + 1] == '%') {
				i++;
			} else {
				return fail(x->why, x->why_len,
					    "Exec: field code %%%c is not a whole argument",
					    i + 1 < n ? a[i + 1] : '?');
			}
		}
		tmp[o++] = a[i];
	}
	return push(x, tmp, o);
}

int desktop_exec_argv(const struct desktop_entry *e, const char *file, const char *location,
		      struct desktop_argv *out, char *why, size_t why_len)
{
	struct expand x = {.out = out, .why = why, .why_len = why_len};
	const char *s = e->exec;
	char arg[DESKTOP_VALUE_MAX];
	bool took_file = false;

	out->argc = 0;
	out->argv[0] = NULL;
	while (*s) {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		size_t n = 0;
		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					return fail(why, why_len, "Exec: an unterminated quote");
				if (*s == '"')
					break;
				if (*s == '\\' && s[1] && strchr("\"`$\\", s[1]))
					s++;
				else if (*s == '`' || *s == '$')
					return fail(why, why_len,
						    "Exec: '%c' must be escaped inside quotes", *s);
				arg[n++] = *s;
			}
			s++;
			if (*s && *s != ' ' && *s != '\t')
				return fail(why, why_len,
					    "Exec: a quoted argument must stand alone");
		} else {
			for (; *s && *s != ' ' && *s != '\t'; s++) {
				if (strchr(reserved, *s))
					return fail(why, why_len,
						    "Exec: reserved character '%c' outside quotes",
						    *s);
				arg[n++] = *s;
			}
		}
		int rc = expand_arg(&x, arg, n, e, file, location, &took_file);
		if (rc)
			return rc;
	}
	if (file && !took_file) {
		int rc = push(&x, file, strlen(file));
		if (rc)
			return rc;
	}
	if (out->argc == 0 || (file && !took_file && out->argc == 1))
		return fail(why, why_len, "Exec: no command");
	return 0;
}

/* Appends c to out at *o, string-escaped (a backslash, a newline, a tab, a carriage return). */
static int put_escaped(char c, char *out, size_t cap, size_t *o)
{
	const char *rep = c == '\\'   ? "\\\\"
			  : c == '\n' ? "\\n"
			  : c == '\t' ? "\\t"
			  : c == '\r' ? "\\r"
				      : NULL;
	size_t n = rep ? 2 : 1;
	if (*o + n >= cap)
		return -ENAMETOOLONG;
	if (rep)
		memcpy(out + *o, rep, 2);
	else
		out[*o] = c;
	*o += n;
	return 0;
}

int desktop_exec_quote(const char *const *argv, int argc, char *out, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return -ENAMETOOLONG;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool quote = !a[0] || a[strcspn(a, reserved)] || strchr(a, '%');
		for (const char *p = a; *p; p++)
			if (((unsigned char)*p < 0x20 && !strchr("\n\t\r", *p)) || *p == 0x7f)
				return -EINVAL;
		if (i && put_escaped(' ', out, cap, &o))
			return -ENAMETOOLONG;
		if (quote && put_escaped('"', out, cap, &o))
			return -ENAMETOOLONG;
		for (const char *p = a; *p; p++) {
			if (quote && strchr("\"`$\\", *p) && put_escaped('\\', out, cap, &o))
				return -ENAMETOOLONG;
			if (*p == '%' && put_escaped('%', out, cap, &o))
				return -ENAMETOOLONG;
			if (put_escaped(*p, out, cap, &o))
				return -ENAMETOOLONG;
		}
		if (quote && put_escaped('"', out, cap, &o))
			return -ENAMETOOLONG;
	}
	out[o] = '\0';
	return 0;
}

int desktop_escape(const char *value, char *out, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return -ENAMETOOLONG;
	for (const char *p = value; *p; p++) {
		if (p == value && *p == ' ') {
			if (o + 2 >= cap)
				return -ENAMETOOLONG;
			memcpy(out, "\\s", 2);
			o = 2;
			continue;
		}
		if (put_escaped(*p, out, cap, &o))
			return -ENAMETOOLONG;
	}
	out[o] = '\0';
	return 0;
}
