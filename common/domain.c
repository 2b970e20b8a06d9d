/* Domain names and labels (common/domain.h). */
#include <errno.h>
#include <string.h>

#include "common/domain.h"

/* Qubes' label palette; the position in the table plus one is the label index (_QUBES_LABEL). */
static const struct {
	const char *name;
	uint32_t rgb;
} palette[] = {
    {"red", 0xcc0000},	{"orange", 0xf57900}, {"yellow", 0xedd400}, {"green", 0x73d216},
    {"gray", 0x555753}, {"blue", 0x3465a4},   {"purple", 0x75507b}, {"black", 0x000000},
};

#define PALETTE_LEN (sizeof(palette) / sizeof(palette[0]))

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static bool is_letter(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

bool domain_name_valid(const char *name)
{
	if (!name || !(is_letter(name[0]) || is_digit(name[0])))
		return false;
	size_t len = strnlen(name, DOMAIN_NAME_MAX + 1);
	if (len > DOMAIN_NAME_MAX)
		return false;
	for (size_t i = 1; i < len; i++) {
		char ch = name[i];
		if (!is_letter(ch) && !is_digit(ch) && ch != '_' && ch != '.' && ch != '-')
			return false;
	}
	return true;
}

bool domain_name_is_hostname(const char *name)
{
	if (!domain_name_valid(name))
		return false;
	for (const char *p = name; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '.')
			return false;
	return true;
}

static int hex_digit(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "0x"/"0X" and exactly six hex digits; strtoul is avoided because it takes signs, spaces and
 * shorter forms. */
static int parse_hex_label(const char *s, struct domain_label *out)
{
	static const char digits[] = "0123456789abcdef";
	uint32_t rgb = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		int d = hex_digit(s[2 + i]);
		if (d < 0)
			return -EINVAL;
		rgb = rgb << 4 | (uint32_t)d;
	}
	if (s[8] != '\0')
		return -EINVAL;
	out->rgb = rgb;
	out->index = 0;
	out->name[0] = '0';
	out->name[1] = 'x';
	for (int i = 0; i < 6; i++)
		out->name[2 + i] = digits[rgb >> (20 - 4 * i) & 0xf];
	out->name[8] = '\0';
	return 0;
}

int domain_label_parse(const char *s, struct domain_label *out)
{
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < PALETTE_LEN; i++) {
		if (strcmp(s, palette[i].name) == 0) {
			out->rgb = palette[i].rgb;
			out->index = (int)i + 1;
			strcpy(out->name, palette[i].name);
			return 0;
		}
	}
	return parse_hex_label(s, out);
}
