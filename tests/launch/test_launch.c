/* Check tests of seam-menu's and seam-open's parts: the .desktop parser, Exec quoting and field
 * codes (and writing an argument vector back so that it parses to the same arguments), desktop
 * file ids, and icons tinted through a PNG round trip. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/desktop.h"
#include "launch/icon.h"
#include "window-decor/decor.h"

static struct desktop_entry entry;
static struct desktop_argv args;
static char why[256];

static int parse(const char *text)
{
	return desktop_parse(text, strlen(text), &entry, why, sizeof(why));
}

/* Parses an entry with that Exec line (as written in a file) and expands it with file. */
static int exec_of(const char *exec_line, const char *file)
{
	char text[4 * DESKTOP_VALUE_MAX];
	snprintf(text, sizeof(text),
		 "[Desktop Entry]\nType=Application\nName=App\nIcon=app\nExec=%s\n", exec_line);
	int rc = parse(text);
	return rc ? rc
		  : desktop_exec_argv(&entry, file, "/usr/share/applications/app.desktop", &args,
				      why, sizeof(why));
}

/* ---- the [Desktop Entry] group ------------------------------------------------------------- */

START_TEST(test_parse_keeps_the_untranslated_keys)
{
	ck_assert_int_eq(parse("# a comment\n\n[Desktop Entry]\r\nType=Application\nName=Web "
			       "Browser\nName[de]=Netz\nExec = firefox %u\nIcon=firefox\n"
			       "Terminal=false\nNoDisplay=true\nMimeType=text/html;\n"
			       "[Desktop Action new]\nName=Other\nExec=evil\n"),
			 0);
	ck_assert_str_eq(entry.name, "Web Browser");
	ck_assert_str_eq(entry.exec, "firefox %u");
	ck_assert_str_eq(entry.icon, "firefox");
	ck_assert_str_eq(entry.mime, "text/html;");
	ck_assert(entry.no_display);
	ck_assert(!entry.terminal);
}
END_TEST

START_TEST(test_parse_unescapes_strings)
{
	ck_assert_int_eq(parse("[Desktop Entry]\nType=Application\nName=\\sa\\tb\\nc\\\\d\\re\n"
			       "Exec=x \"a\\\\\"b\"\n"),
			 0);
	ck_assert_str_eq(entry.name, " a\tb\nc\\d\re");
	ck_assert_str_eq(entry.exec, "x \"a\\\"b\"");
}
END_TEST

START_TEST(test_parse_rejects_malformed_files)
{
	const char *bad[] = {
	    "Type=Application\nName=a\nExec=b\n",			    /* no group */
	    "[Other]\n[Desktop Entry]\nType=Application\nName=a\nExec=b\n", /* not first */
	    "[Desktop Entry]\nType=Application\nName=a\nName=b\nExec=b\n",  /* twice */
	    "[Desktop Entry]\nType=Link\nName=a\nExec=b\n",		    /* not an app */
	    "[Desktop Entry]\nType=Application\nName=a\n",		    /* no Exec */
	    "[Desktop Entry]\nType=Application\nExec=a\n",		    /* no Name */
	    "[Desktop Entry]\nType=Application\nName=a\x01\nExec=b\n",	    /* control */
	    "[Desktop Entry]\nType=Application\nName=a\\\x1b\nExec=b\n",    /* escaped control */
	    "[Desktop Entry]\nType=Application\nName a\nExec=b\n",	    /* no = */
	    "[Desktop Entry]\nType=Application\nName=a\nExec=b\nTerminal=yes\n",
	    "[Desktop Entry\nType=Application\nName=a\nExec=b\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i]) == -EINVAL, "accepted case %zu", i);
	ck_assert_int_eq(desktop_parse("[Desktop Entry]\nType=Application\nName=a\0\nExec=b\n", 45,
				       &entry, why, sizeof(why)),
			 -EINVAL);
}
END_TEST

START_TEST(test_parse_bounds_values)
{
	size_t n = DESKTOP_VALUE_MAX + 64;
	char *text = malloc(n + 128);
	int off = sprintf(text, "[Desktop Entry]\nType=Application\nExec=a\nName=");
	memset(text + off, 'x', n);
	strcpy(text + off + n, "\n");
	ck_assert_int_eq(parse(text), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "longer than"));
	ck_assert_int_eq(desktop_parse(text, DESKTOP_FILE_MAX + 1, &entry, why, sizeof(why)),
			 -EINVAL);
	free(text);
}
END_TEST

/* ---- Exec ---------------------------------------------------------------------------------- */

START_TEST(test_exec_splits_and_unquotes)
{
	ck_assert_int_eq(exec_of("app  -x \"two words\" \"q\\\\\"q\" \"\\\\$d\" \"\"", NULL), 0);
	ck_assert_int_eq(args.argc, 6);
	ck_assert_str_eq(args.argv[0], "app");
	ck_assert_str_eq(args.argv[1], "-x");
	ck_assert_str_eq(args.argv[2], "two words");
	ck_assert_str_eq(args.argv[3], "q\"q");
	ck_assert_str_eq(args.argv[4], "$d");
	ck_assert_str_eq(args.argv[5], "");
	ck_assert_ptr_null(args.argv[6]);
}
END_TEST

START_TEST(test_exec_field_codes)
{
	ck_assert_int_eq(exec_of("app %U --name %c %i %k 100%% %d", "/home/u/a b.txt"), 0);
	ck_assert_int_eq(args.argc, 8);
	ck_assert_str_eq(args.argv[1], "/home/u/a b.txt");
	ck_assert_str_eq(args.argv[3], "App");
	ck_assert_str_eq(args.argv[4], "--icon");
	ck_assert_str_eq(args.argv[5], "app");
	ck_assert_str_eq(args.argv[6], "/usr/share/applications/app.desktop");
	ck_assert_str_eq(args.argv[7], "100%");
	/* Without a file, the file codes go away; a file given to an Exec without one is appended.
	 */
	ck_assert_int_eq(exec_of("app %f", NULL), 0);
	ck_assert_int_eq(args.argc, 1);
	ck_assert_int_eq(exec_of("app -a", "/f"), 0);
	ck_assert_int_eq(args.argc, 3);
	ck_assert_str_eq(args.argv[2], "/f");
	/* A file name is one argument whatever it holds. */
	ck_assert_int_eq(exec_of("app %F", "/tmp/-x \"$(rm)\";\n`y`"), 0);
	ck_assert_int_eq(args.argc, 2);
	ck_assert_str_eq(args.argv[1], "/tmp/-x \"$(rm)\";\n`y`");
}
END_TEST

START_TEST(test_exec_rejects_bad_lines)
{
	const char *bad[] = {
	    "app --file=%f", /* a code inside an argument */
	    "app %x",	     /* unknown */
	    "app \"open",    /* unterminated */
	    "app a;b",	     /* reserved outside quotes */
	    "app $HOME",     /* reserved outside quotes */
	    "app \"a\"b",    /* a quote not standing alone */
	    "app \"`x`\"",   /* ` unescaped inside quotes */
	    "app it's",	     /* ' outside quotes */
	    "%f",	     /* nothing left */
	    "app 100%",	     /* a lone % */
	    "app \"%f\"x",   /* quoted and glued */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(exec_of(bad[i], NULL) == -EINVAL, "accepted %s", bad[i]);
	char many[DESKTOP_VALUE_MAX] = "app";
	for (unsigned i = 0; i < DESKTOP_ARGS_MAX + 1; i++)
		strcat(many, " a");
	ck_assert_int_eq(exec_of(many, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "more than"));
}
END_TEST

START_TEST(test_exec_quote_round_trips)
{
	const char *argv[] = {"/usr/bin/seam-run",
			      "--domain",
			      "work",
			      "--",
			      "a b",
			      "",
			      "\"",
			      "$HOME",
			      "`id`",
			      "back\\slash",
			      "%f",
			      "100%",
			      "new\nline",
			      "-dash",
			      "tab\there",
			      "it's",
			      ";|&<>()*?#~",
			      "ü-utf8"};
	int argc = (int)(sizeof(argv) / sizeof(argv[0]));
	char exec[4 * DESKTOP_VALUE_MAX];
	ck_assert_int_eq(desktop_exec_quote(argv, argc, exec, sizeof(exec)), 0);
	ck_assert_ptr_null(strchr(exec, '\n'));
	ck_assert_int_eq(exec_of(exec, NULL), 0);
	ck_assert_int_eq(args.argc, argc);
	for (int i = 0; i < argc; i++)
		ck_assert_str_eq(args.argv[i], argv[i]);
	/* Plain arguments stay unquoted. */
	const char *plain[] = {"xterm", "-e", "vim"};
	ck_assert_int_eq(desktop_exec_quote(plain, 3, exec, sizeof(exec)), 0);
	ck_assert_str_eq(exec, "xterm -e vim");
}
END_TEST

START_TEST(test_exec_quote_refuses_control_characters_and_overflow)
{
	const char *bad[] = {"a\x01"};
	char exec[64];
	ck_assert_int_eq(desktop_exec_quote(bad, 1, exec, sizeof(exec)), -EINVAL);
	const char *big[] = {"0123456789012345678901234567890123456789012345678901234567890123"};
	ck_assert_int_eq(desktop_exec_quote(big, 1, exec, sizeof(exec)), -ENAMETOOLONG);
	ck_assert_int_eq(desktop_escape(" lead\\", exec, sizeof(exec)), 0);
	ck_assert_str_eq(exec, "\\slead\\\\");
}
END_TEST

START_TEST(test_desktop_ids)
{
	ck_assert(desktop_id_valid("firefox-esr.desktop"));
	ck_assert(desktop_id_valid("org.gnome.Nautilus.desktop"));
	const char *bad[] = {".desktop",   "a/b.desktop", "../x.desktop", "-x.desktop",
			     ".x.desktop", "a b.desktop", "firefox",	  "x.desktop.png"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!desktop_id_valid(bad[i]), "accepted %s", bad[i]);
}
END_TEST

/* ---- icons --------------------------------------------------------------------------------- */

START_TEST(test_icon_tinted_through_png)
{
	char dir[] = "/tmp/seam-launch-test-XXXXXX", path[128];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/icon.png", dir);
	uint32_t px[4 * 3] = {0xff3080c0, 0x80ffffff, 0x00000000, 0xff000000,
			      0xffff0000, 0xc000ff00, 0xff0000ff, 0xff808080,
			      0x40102030, 0xffeeeeee, 0xff123456, 0xfffedcba};
	struct icon_image src = {.w = 4, .h = 3, .argb = px}, back;
	ck_assert_int_eq(icon_write_png(path, &src), 0);
	ck_assert_int_eq(icon_read_png(path, &back, why, sizeof(why)), 0);
	ck_assert_uint_eq(back.w, 4);
	ck_assert_uint_eq(back.h, 3);
	for (int i = 0; i < 12; i++)
		if (px[i] >> 24 == 0xff)
			ck_assert_uint_eq(back.argb[i], px[i]);
	decor_tint_pixels(back.argb, back.argb, 12, 0xcc0000);
	ck_assert_int_eq(icon_write_png(path, &back), 0);
	struct icon_image tinted;
	ck_assert_int_eq(icon_read_png(path, &tinted, why, sizeof(why)), 0);
	for (int i = 0; i < 12; i++) {
		if (px[i] >> 24 != 0xff)
			continue;
		ck_assert_uint_eq(tinted.argb[i], decor_tint_pixel(px[i], 0xcc0000));
		uint32_t t = tinted.argb[i];
		ck_assert_uint_ge(t >> 16 & 0xff, t & 0xff); /* red dominates, or gray stays gray */
	}
	icon_free(&back);
	icon_free(&tinted);
	/* Not a PNG: refused with a reason. */
	FILE *f = fopen(path, "w");
	fputs("<svg/>", f);
	fclose(f);
	ck_assert_int_eq(icon_read_png(path, &back, why, sizeof(why)), -EINVAL);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *suite_launch(void)
{
	Suite *s = suite_create("launch");
	TCase *t = tcase_create("desktop");
	tcase_add_test(t, test_parse_keeps_the_untranslated_keys);
	tcase_add_test(t, test_parse_unescapes_strings);
	tcase_add_test(t, test_parse_rejects_malformed_files);
	tcase_add_test(t, test_parse_bounds_values);
	tcase_add_test(t, test_exec_splits_and_unquotes);
	tcase_add_test(t, test_exec_field_codes);
	tcase_add_test(t, test_exec_rejects_bad_lines);
	tcase_add_test(t, test_exec_quote_round_trips);
	tcase_add_test(t, test_exec_quote_refuses_control_characters_and_overflow);
	tcase_add_test(t, test_desktop_ids);
	suite_add_tcase(s, t);
	t = tcase_create("icon");
	tcase_add_test(t, test_icon_tinted_through_png);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_launch());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
