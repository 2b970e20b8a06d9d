#!/usr/bin/python3
"""Print the monitors a GTK 3 application sees on $DISPLAY, as "WxH+X+Y" joined by spaces, in
GDK's order: what GTK uses to keep a maximized window or a menu within one monitor."""
import gi

gi.require_version("Gdk", "3.0")
from gi.repository import Gdk  # noqa: E402

display = Gdk.Display.get_default()
rects = []
for i in range(display.get_n_monitors()):
    g = display.get_monitor(i).get_geometry()
    rects.append(f"{g.width}x{g.height}+{g.x}+{g.y}")
print(" ".join(rects))
