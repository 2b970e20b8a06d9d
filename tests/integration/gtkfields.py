#!/usr/bin/python3
"""A real GTK 3 window for the cursor test: a text field at (10,10) 200x30 and a link button at
(10,80) 120x30, inside a window of 300x150 content pixels; prints "ready" once it is shown.

  gtkfields.py --title T"""
import argparse

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--title", required=True)
    a = ap.parse_args()
    win = Gtk.Window(title=a.title)
    win.set_default_size(300, 150)
    win.set_resizable(False)
    fixed = Gtk.Fixed()
    entry = Gtk.Entry()
    entry.set_size_request(200, 30)
    fixed.put(entry, 10, 10)
    link = Gtk.LinkButton.new_with_label("https://example.org/", "a link")
    link.set_size_request(120, 30)
    fixed.put(link, 10, 80)
    win.add(fixed)
    win.connect("destroy", Gtk.main_quit)
    win.connect("map-event", lambda *_: print("ready", flush=True))
    win.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
