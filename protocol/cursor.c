/* The X cursor font's glyph names, which CURSOR values stand for (protocol/proto.h). Pure: the
 * agent reads a guest cursor's name into a glyph with it, the daemon a glyph into the name a host
 * cursor theme files it under. */
#include <string.h>

#include "protocol/proto.h"

/* By glyph / 2 (X11/cursorfont.h; the odd glyphs are masks). */
static const char *const x_names[(PROTO_CURSOR_X11_MAX - PROTO_CURSOR_X11) / 2] = {
    "X_cursor",
    "arrow",
    "based_arrow_down",
    "based_arrow_up",
    "boat",
    "bogosity",
    "bottom_left_corner",
    "bottom_right_corner",
    "bottom_side",
    "bottom_tee",
    "box_spiral",
    "center_ptr",
    "circle",
    "clock",
    "coffee_mug",
    "cross",
    "cross_reverse",
    "crosshair",
    "diamond_cross",
    "dot",
    "dotbox",
    "double_arrow",
    "draft_large",
    "draft_small",
    "draped_box",
    "exchange",
    "fleur",
    "gobbler",
    "gumby",
    "hand1",
    "hand2",
    "heart",
    "icon",
    "iron_cross",
    "left_ptr",
    "left_side",
    "left_tee",
    "leftbutton",
    "ll_angle",
    "lr_angle",
    "man",
    "middlebutton",
    "mouse",
    "pencil",
    "pirate",
    "plus",
    "question_arrow",
    "right_ptr",
    "right_side",
    "right_tee",
    "rightbutton",
    "rtl_logo",
    "sailboat",
    "sb_down_arrow",
    "sb_h_double_arrow",
    "sb_left_arrow",
    "sb_right_arrow",
    "sb_up_arrow",
    "sb_v_double_arrow",
    "shuttle",
    "sizing",
    "spider",
    "spraycan",
    "star",
    "target",
    "tcross",
    "top_left_arrow",
    "top_left_corner",
    "top_right_corner",
    "top_side",
    "top_tee",
    "trek",
    "ul_angle",
    "umbrella",
    "ur_angle",
    "watch",
    "xterm",
};

const char *proto_cursor_name(uint32_t cursor)
{
	if (cursor < PROTO_CURSOR_X11 || cursor >= PROTO_CURSOR_X11_MAX || cursor % 2)
		return NULL;
	return x_names[(cursor - PROTO_CURSOR_X11) / 2];
}

uint32_t proto_cursor_from_name(const char *name)
{
	for (uint32_t i = 0; i < sizeof(x_names) / sizeof(x_names[0]); i++)
		if (strcmp(x_names[i], name) == 0)
			return PROTO_CURSOR_X11 + 2 * i;
	return PROTO_CURSOR_DEFAULT;
}
