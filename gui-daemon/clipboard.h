/* The inter-domain clipboard: text moves between domains only when the user presses the copy keys
 * in one domain's window and the paste keys in another's. It is kept in one file under the runtime
 * directory, shared by every daemon (one per guest), written whole (write, then rename) and
 * validated again by whoever reads it: another daemon wrote it from a guest's copy. */
#ifndef SEAM_DAEMON_CLIPBOARD_H
#define SEAM_DAEMON_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui-daemon/display.h"
#include "gui-daemon/keyseq.h"
#include "gui-daemon/session.h"
#include "common/domain.h"

/* An agent that does not answer a copy within this long gets its late answer dropped. */
#define CLIPBOARD_REQUEST_TIMEOUT_MS 5000

struct clipboard;

struct clipboard_config {
	const char *name;	 /* this daemon's guest: the source of its copies */
	const char *runtime_dir; /* created 0700 on first use; must be ours and private */
	uint32_t limit;		 /* largest text copied or pasted */
	struct keyseq copy_keys, paste_keys; /* parsed; resolved here on dp's keyboard */
};

/* The clipboard of one guest; the strings and dp, s must outlive it. 0 or -ENOMEM. The caller owns
 * *out. */
int clipboard_create(const struct clipboard_config *cfg, struct display *dp, struct session *s,
		     struct clipboard **out);
void clipboard_destroy(struct clipboard *c);

/* A key event on the guest's window window_id: true if it was the copy or paste sequence (or the
 * release of one), which is acted on here and never reaches the guest. Copy asks the agent for its
 * CLIPBOARD; paste sends the shared text to it and empties the file. */
bool clipboard_key(struct clipboard *c, uint32_t window_id, uint8_t keycode, uint16_t state,
		   bool press);
/* CLIPBOARD_DATA from the agent: stored in the shared file if the user asked for it (within
 * CLIPBOARD_REQUEST_TIMEOUT_MS), it fits the limit and it is UTF-8 text; an asked-for copy that is
 * empty or refused empties the file instead. The user is told either way. */
void clipboard_data(struct clipboard *c, const uint8_t *data, uint32_t len);

/* ---- The shared file's format (clipboard_file.c; pure, fuzzed) --------------------------------
 * "SEAM-CLIPBOARD 1\n" "source NAME\n" "size N\n" "\n" and then exactly N bytes of text. */
#define CLIPBOARD_FILE_MAGIC "SEAM-CLIPBOARD 1\n"
/* Longest header: magic, "source " + a 32-byte name, "size " + digits, and a blank line. */
#define CLIPBOARD_FILE_HEADER_MAX 96u

/* The header for text_len bytes copied in source, into out (cap bytes). Its length, or -ENOSPC. */
int clipboard_file_header(const char *source, size_t text_len, char *out, size_t cap);
/* Check a whole file of len bytes: the header exactly as clipboard_file_header() writes it (the
 * source a valid domain name), at most limit bytes of text and nothing after it, the text clean
 * UTF-8 (checked in place; a file that passes is unchanged). 0 with the source's name and where
 * the text is, or -EINVAL. */
int clipboard_file_parse(uint8_t *buf, size_t len, uint32_t limit, char source[DOMAIN_NAME_MAX + 1],
			 size_t *text_off, size_t *text_len);

#endif
