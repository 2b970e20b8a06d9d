#!/usr/bin/python3
"""A real GTK 3 application for tests/integration/dpi.sh: it logs the text resolution GTK uses
(gtk-xft-dpi, in 1024ths of a dot per inch, which GTK takes from XSETTINGS Xft/DPI) as it starts
and each time it changes while it runs.

  gtkdpi.py LOG [SECONDS]"""
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402


def main():
    log = open(sys.argv[1], "a", buffering=1)
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    settings = Gtk.Settings.get_default()

    def say(*_):
        log.write("gtk-xft-dpi %d\n" % settings.props.gtk_xft_dpi)

    say()
    settings.connect("notify::gtk-xft-dpi", say)
    GLib.timeout_add_seconds(seconds, Gtk.main_quit)
    Gtk.main()


if __name__ == "__main__":
    main()
