#!/usr/bin/python3
"""A real GTK 3 application for the integration tests: one window, and on request a dialog
transient for it or a trip to full screen and back, logging what GTK says the window's state is.

  gtkwin.py --title T [--size WxH] [--dialog TITLE] [--fullscreen-when FILE]
            [--leave-when FILE] [--log FILE] [--icon]

--fullscreen-when / --leave-when: ask for full screen (or to leave it) once FILE exists, as the
user's F11 would, so that the test decides when.

--log gets a line "fullscreen 1" / "fullscreen 0" each time the window manager (the agent) changes
the window's _NET_WM_STATE, as the application itself sees it. --icon gives the window an icon of
its own (48x48 and 16x16 color gradients with a transparent corner) with Gtk.Window.set_icon_list."""
import argparse
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import Gdk, GdkPixbuf, GLib, Gtk  # noqa: E402


def gradient(size):
    """An RGBA pixbuf: red across, green down, blue fixed, the top left quarter transparent."""
    data = bytearray()
    for y in range(size):
        for x in range(size):
            alpha = 0 if x < size // 2 and y < size // 2 else 255
            data += bytes((x * 255 // (size - 1), y * 255 // (size - 1), 0x60, alpha))
    return GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(bytes(data)), GdkPixbuf.Colorspace.RGB,
                                           True, 8, size, size, size * 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", required=True)
    ap.add_argument("--size", default="500x350")
    ap.add_argument("--dialog")
    ap.add_argument("--fullscreen-when")
    ap.add_argument("--leave-when")
    ap.add_argument("--log")
    ap.add_argument("--icon", action="store_true")
    a = ap.parse_args()
    log = open(a.log, "a", buffering=1) if a.log else None
    w, h = (int(v) for v in a.size.split("x"))

    win = Gtk.Window(title=a.title)
    win.set_default_size(w, h)
    win.connect("destroy", Gtk.main_quit)
    win.add(Gtk.Label(label=a.title))
    if a.icon:
        win.set_icon_list([gradient(48), gradient(16)])

    def state(_w, ev):
        if log and ev.changed_mask & Gdk.WindowState.FULLSCREEN:
            on = bool(ev.new_window_state & Gdk.WindowState.FULLSCREEN)
            log.write("fullscreen %d\n" % on)
        return False

    win.connect("window-state-event", state)
    win.show_all()

    if a.dialog:
        def dialog():
            d = Gtk.Dialog(title=a.dialog, transient_for=win)
            d.set_default_size(220, 120)
            d.get_content_area().add(Gtk.Label(label=a.dialog))
            d.show_all()
            return False
        GLib.timeout_add(700, dialog)
    def when(path, action):
        def poll():
            if os.path.exists(path):
                action()
                return False
            return True
        GLib.timeout_add(100, poll)

    if a.fullscreen_when:
        when(a.fullscreen_when, win.fullscreen)
    if a.leave_when:
        when(a.leave_when, win.unfullscreen)
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
