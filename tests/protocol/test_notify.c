/* The notification extension (SEAM_NOTIFY): only from an agent whose hello agreed it; every length
 * bounded from the header before a body byte is read; texts well-formed UTF-8; and the cleaning
 * that makes a guest's text fit to show on the host (proto_notify_clean). */
#include <string.h>

#include "fixtures.h"

/* Room for the longest texts the table allows, and more. */
static uint8_t text[PROTO_NOTIFY_MAX_LEN + 16];

static enum proto_verdict decode(const struct proto_msg *m, struct proto_error *err)
{
	struct proto_msg out;
	struct proto_peer peer = fixture_peer_seam();
	return fixture_roundtrip(&peer, PROTO_FROM_AGENT, m, 0, &out, err);
}

/* A notification with texts of these lengths ('a's). */
static void notify(struct proto_msg *m, uint32_t app, uint32_t summary, uint32_t body)
{
	fixture_valid(PROTO_MSG_SEAM_NOTIFY, PROTO_FROM_AGENT, m);
	ck_assert_uint_le(app + summary + body, sizeof(text));
	memset(text, 'a', sizeof(text));
	m->u.notify = (struct proto_seam_notify){app, summary, body};
	m->data = text;
	m->data_len = app + summary + body;
}

START_TEST(test_notify_needs_the_agreed_feature)
{
	/* a daemon with notifications off does not offer the feature */
	fixture_assert_agent_feature(PROTO_MSG_SEAM_NOTIFY, PROTO_SEAM_FEATURE_NOTIFY);
	/* not window-scoped: any window field is accepted and means nothing */
	struct proto_msg m;
	struct proto_error err;
	fixture_valid(PROTO_MSG_SEAM_NOTIFY, PROTO_FROM_AGENT, &m);
	m.window = 0;
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
}
END_TEST

START_TEST(test_notify_accepts_empty_and_the_longest_texts)
{
	struct proto_msg m;
	struct proto_error err;
	notify(&m, 0, 0, 0);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
	/* a receiver may have no text pointer at all for an empty variable part (found by
	 * fuzz-proto under UBSan: NULL + 0) */
	const struct proto_seam_notify none = {0, 0, 0};
	ck_assert_int_eq(proto_validate_seam_notify(&none, NULL, 0, &err), 0);
	notify(&m, PROTO_NOTIFY_MAX_APP, PROTO_NOTIFY_MAX_SUMMARY, PROTO_NOTIFY_MAX_BODY);
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
}
END_TEST

START_TEST(test_notify_lengths_past_their_bound_are_dropped)
{
	static const struct {
		uint32_t app, summary, body;
		const char *field;
	} bad[] = {
	    {PROTO_NOTIFY_MAX_APP + 1, 0, 0, "app_len"},
	    {0, PROTO_NOTIFY_MAX_SUMMARY + 1, 0, "summary_len"},
	    {0, 0, PROTO_NOTIFY_MAX_BODY + 1, "body_len"},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proto_msg m;
		struct proto_error err;
		notify(&m, bad[i].app, bad[i].summary, bad[i].body);
		ck_assert_msg(decode(&m, &err) == PROTO_DROP, "case %u accepted", i);
		ck_assert_str_eq(err.field, bad[i].field);
	}
	/* lengths that would wrap a 32-bit sum to the message's length */
	struct proto_msg m;
	struct proto_error err;
	notify(&m, 4, 4, 4);
	m.u.notify = (struct proto_seam_notify){0xfffffffcu, 8, 8};
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "app_len");
}
END_TEST

START_TEST(test_notify_lengths_must_add_up_to_the_message)
{
	struct proto_msg m;
	struct proto_error err;
	notify(&m, 4, 8, 16);
	m.data_len -= 1; /* a byte short */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "body_len");
	m.data_len += 2; /* a byte more */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
	ck_assert_str_eq(err.field, "body_len");
	m.data_len = 0; /* lengths without texts */
	ck_assert_int_eq(decode(&m, &err), PROTO_DROP);
}
END_TEST

START_TEST(test_notify_texts_must_be_utf8_without_nul)
{
	static const struct {
		unsigned at; /* where the bad bytes go: 0 app, 4 summary, 12 body */
		const char *bytes;
		size_t n;
		const char *field;
	} bad[] = {
	    {0, "\xff", 1, "app"},	     {4, "\xc3", 1, "summary"}, /* cut in two */
	    {12, "\xed\xa0\x80", 3, "body"},				/* a surrogate */
	    {12, "\xc0\xaf", 2, "body"},				/* an overlong '/' */
	    {4, "\0", 1, "summary"},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proto_msg m;
		struct proto_error err;
		notify(&m, 4, 8, 16);
		memcpy(text + bad[i].at + 1, bad[i].bytes, bad[i].n);
		ck_assert_msg(decode(&m, &err) == PROTO_DROP, "case %u accepted", i);
		ck_assert_str_eq(err.field, bad[i].field);
	}
	struct proto_msg m;
	struct proto_error err;
	notify(&m, 4, 8, 16);
	memcpy(text + 12, "\xe2\x9c\x93 \xf0\x9f\x93\xa7", 8); /* check mark, envelope */
	ck_assert_int_eq(decode(&m, &err), PROTO_OK);
}
END_TEST

/* The header alone refuses a body past the largest, before any allocation or read. */
START_TEST(test_notify_more_than_the_bound_is_refused_before_the_body)
{
	const uint32_t t = PROTO_MSG_SEAM_NOTIFY;
	struct proto_error err;
	ck_assert_int_eq(fixture_agent_header(t, 0, (uint32_t)PROTO_NOTIFY_MAX_LEN + 1u, &err),
			 PROTO_FATAL);
	ck_assert_str_eq(err.field, "untrusted_len");
	ck_assert_int_eq(fixture_agent_header(t, 0, 0xffffffffu, &err), PROTO_FATAL);
	/* shorter than its lengths */
	ck_assert_int_eq(fixture_agent_header(t, 0, sizeof(struct proto_seam_notify) - 1u, &err),
			 PROTO_FATAL);
	ck_assert_int_eq(fixture_agent_header(t, 0, PROTO_NOTIFY_MAX_LEN, &err), PROTO_OK);
	struct proto_msg m;
	notify(&m, PROTO_NOTIFY_MAX_APP, PROTO_NOTIFY_MAX_SUMMARY, PROTO_NOTIFY_MAX_BODY + 1);
	ck_assert_uint_eq(proto_encoded_len(&m), 0); /* a sender cannot even write it */
}
END_TEST

static const char *clean(const char *in, bool multiline, size_t size)
{
	static char out[2048];
	ck_assert_uint_le(size, sizeof(out));
	size_t n = proto_notify_clean((const uint8_t *)in, strlen(in), multiline, out, size);
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_uint_lt(n, size);
	return out;
}

START_TEST(test_notify_clean_strips_markup_and_decodes_entities)
{
	ck_assert_str_eq(clean("<b>bold</b> and <a href=\"x\">link</a>", true, 100),
			 "bold and link");
	ck_assert_str_eq(clean("Tom &amp; Jerry &quot;q&quot; it&apos;s", true, 100),
			 "Tom & Jerry \"q\" it's");
	/* no '<' or '>' reaches the host, however the markup is built */
	ck_assert_str_eq(clean("&lt;b&gt;x", true, 100), "\u2039b\u203ax");
	ck_assert_str_eq(clean("&amp;lt;b&amp;gt;", true, 100), "&lt;b&gt;");
	ck_assert_str_eq(clean("a > b", true, 100), "a  b");
	ck_assert_str_eq(clean("x <unclosed", true, 100), "x unclosed");
	ck_assert_str_eq(clean("<<b>>", true, 100), "");
	/* unknown and numeric entities are dropped; a bare '&' stays */
	ck_assert_str_eq(clean("a&#60;b&nbsp;c & d &amp e", true, 100), "abc & d &amp e");
}
END_TEST

START_TEST(test_notify_clean_removes_controls_and_bidi_overrides)
{
	ck_assert_str_eq(clean("one\ntwo\tthree\r\n\x1b[31mred\x7f", true, 100),
			 "one\ntwo three\n[31mred");
	ck_assert_str_eq(clean("one\ntwo", false, 100), "one two");
	ck_assert_str_eq(clean("a\302\205b", true, 100), "ab"); /* C1 NEL */
	/* right-to-left override, isolates: "txt.exe" must not read as "exe.txt" */
	ck_assert_str_eq(clean("inv\xe2\x80\xaetxt.exe\xe2\x81\xa6\xe2\x81\xa9", true, 100),
			 "invtxt.exe");
	ck_assert_str_eq(clean("bad \xff utf8 \xc3", true, 100), "bad  utf8 ");
}
END_TEST

START_TEST(test_notify_clean_is_bounded_at_a_character)
{
	ck_assert_str_eq(clean("abcdef", true, 4), "abc");
	/* a 2-byte character that does not fit whole is left out, and so is all after it */
	ck_assert_str_eq(clean("ab\303\251c", true, 4), "ab");
	ck_assert_str_eq(clean("anything", true, 1), "");
	char big[1500];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_uint_eq(strlen(clean(big, true, 1025)), 1024);
}
END_TEST

Suite *suite_notify(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");
	tcase_add_test(tc, test_notify_needs_the_agreed_feature);
	tcase_add_test(tc, test_notify_accepts_empty_and_the_longest_texts);
	tcase_add_test(tc, test_notify_lengths_past_their_bound_are_dropped);
	tcase_add_test(tc, test_notify_lengths_must_add_up_to_the_message);
	tcase_add_test(tc, test_notify_texts_must_be_utf8_without_nul);
	tcase_add_test(tc, test_notify_more_than_the_bound_is_refused_before_the_body);
	tcase_add_test(tc, test_notify_clean_strips_markup_and_decodes_entities);
	tcase_add_test(tc, test_notify_clean_removes_controls_and_bidi_overrides);
	tcase_add_test(tc, test_notify_clean_is_bounded_at_a_character);
	suite_add_tcase(s, tc);
	return s;
}
