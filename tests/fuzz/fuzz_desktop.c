/* libFuzzer target: .desktop files as a domain may write them in its home, read on the host by
 * seam-menu and seam-open (launch/desktop.c).
 *
 * Input: the file's bytes. Invariants checked: the parser never reads past the input and, when it
 * accepts, every kept value is NUL-terminated within its array and free of control characters
 * other than those an escape produced (newline, tab, carriage return); a parsed Exec that expands
 * (with and without a file) yields 1 to DESKTOP_ARGS_MAX arguments, the file as one of them
 * whatever it holds; quoting those arguments back and parsing the result gives the same arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launch/desktop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A file name of the worst kind, given to every parsed Exec. */
static const char worst_file[] = "/home/u/-x \"$(id)\"\n`y` %f.txt";

static void check_value(const char *v)
{
	size_t n = strnlen(v, DESKTOP_VALUE_MAX);
	if (n >= DESKTOP_VALUE_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f)
			abort();
	}
}

/* argv quoted, parsed again: the same arguments. */
static void round_trip(const struct desktop_argv *a)
{
	struct desktop_entry *e = calloc(1, sizeof(*e));
	struct desktop_argv *back = malloc(sizeof(*back));
	char *line = malloc(8 * DESKTOP_VALUE_MAX), *file = malloc(8 * DESKTOP_VALUE_MAX + 64);
	char why[256];
	int rc =
	    desktop_exec_quote((const char *const *)a->argv, a->argc, line, 8 * DESKTOP_VALUE_MAX);
	if (rc == 0) {
		int n = snprintf(file, 8 * DESKTOP_VALUE_MAX + 64,
				 "[Desktop Entry]\nType=Application\nName=n\nExec=%s\n", line);
		if (desktop_parse(file, (size_t)n, e, why, sizeof(why)) == 0) {
			if (desktop_exec_argv(e, NULL, NULL, back, why, sizeof(why)) ||
			    back->argc != a->argc)
				abort();
			for (int i = 0; i < a->argc; i++)
				if (strcmp(back->argv[i], a->argv[i]))
					abort();
		}
	}
	free(e);
	free(back);
	free(line);
	free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct desktop_entry *e = malloc(sizeof(*e));
	struct desktop_argv *a = malloc(sizeof(*a));
	char why[256];
	if (desktop_parse((const char *)data, size, e, why, sizeof(why)) == 0) {
		check_value(e->name);
		check_value(e->exec);
		check_value(e->icon);
		check_value(e->mime);
		if (desktop_exec_argv(e, NULL, "/loc", a, why, sizeof(why)) == 0) {
			if (a->argc < 1 || a->argc > (int)DESKTOP_ARGS_MAX || a->argv[a->argc])
				abort();
			round_trip(a);
		}
		if (desktop_exec_argv(e, worst_file, NULL, a, why, sizeof(why)) == 0) {
			int found = 0;
			for (int i = 0; i < a->argc; i++)
				found |= !strcmp(a->argv[i], worst_file);
			if (!found)
				abort();
		}
	}
	free(e);
	free(a);
	return 0;
}
