#!/usr/bin/python3
"""A stand-in desktop notification server for tests/deploy/notify.sh: owns
org.freedesktop.Notifications on the bus at ADDRESS and appends each notification to LOG as
one line "APP<TAB>SUMMARY<TAB>BODY" (a newline in a text written as the two characters \\n), so
that the test reads what the user would have seen.

    notify_server.py ADDRESS LOG"""
import sys

from gi.repository import Gio, GLib

IFACE = """<node><interface name="org.freedesktop.Notifications">
<method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
<arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
<arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
<arg type="u" direction="out"/></method>
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
<method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
<arg type="s" direction="out"/><arg type="s" direction="out"/></method>
<method name="CloseNotification"><arg type="u" direction="in"/></method>
</interface></node>"""


def main():
    address, log = sys.argv[1], sys.argv[2]
    loop = GLib.MainLoop()
    count = [0]

    def call(conn, sender, path, iface, method, params, invocation):
        if method == "Notify":
            texts = [t.replace("\n", "\\n") for t in params.unpack()[:5] if isinstance(t, str)]
            app, _, summary, body = texts
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{app}\t{summary}\t{body}\n")
            count[0] += 1
            invocation.return_value(GLib.Variant("(u)", (count[0],)))
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("seam-test", "seam", "1", "1.2")))
        else:
            invocation.return_value(None)

    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
             | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    conn = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
    info = Gio.DBusNodeInfo.new_for_xml(IFACE).interfaces[0]
    conn.register_object("/org/freedesktop/Notifications", info, call, None, None)
    reply = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus", "RequestName",
                           GLib.Variant("(su)", ("org.freedesktop.Notifications", 4)),
                           GLib.VariantType("(u)"), Gio.DBusCallFlags.NONE, -1, None)
    if reply.unpack()[0] != 1:
        sys.exit("notify_server: cannot own org.freedesktop.Notifications")
    print("ready", flush=True)
    conn.connect("closed", lambda *a: loop.quit())
    loop.run()


main()
