#!/usr/bin/python3
"""A real GTK 3 application with an XEMBED system-tray icon, for the integration tests.

  gtktray.py --log FILE [--name NAME]

The icon (Gtk.StatusIcon: deprecated, but it docks through XEMBED with whatever tray owns
_NET_SYSTEM_TRAY_S0) is gtkwin.py's 32x32 color gradient. Each click on it adds "click BUTTON"
to FILE, each turn of the wheel "scroll up" or "scroll down", and "embedded 1" once a tray has
it. A right click also pops up the icon's menu (one item, "tray menu"), as applications do."""
import argparse
import sys
import warnings

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402

from gtkwin import gradient  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--name", default="seam-tray-test")
    a = ap.parse_args()
    log = open(a.log, "a", buffering=1)
    warnings.simplefilter("ignore", DeprecationWarning)
    icon = Gtk.StatusIcon.new_from_pixbuf(gradient(32))
    icon.set_name(a.name)
    icon.set_title(a.name)

    def pressed(_icon, ev):
        if ev.type == Gdk.EventType.BUTTON_PRESS:
            log.write("click %d\n" % ev.button)
        return False

    def scrolled(_icon, ev):
        if ev.direction == Gdk.ScrollDirection.UP:
            log.write("scroll up\n")
        elif ev.direction == Gdk.ScrollDirection.DOWN:
            log.write("scroll down\n")
        return False

    def embedded(_icon, _pspec):
        log.write("embedded %d\n" % icon.is_embedded())

    menu = Gtk.Menu()
    menu.append(Gtk.MenuItem(label="tray menu"))
    menu.show_all()

    def popup(_icon, button, time):
        menu.popup(None, None, Gtk.StatusIcon.position_menu, icon, button, time)

    icon.connect("popup-menu", popup)
    icon.connect("button-press-event", pressed)
    icon.connect("scroll-event", scrolled)
    icon.connect("notify::embedded", embedded)
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
