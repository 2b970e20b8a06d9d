#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_daemon (tests/fuzz/corpus/daemon): a window's life and a few
hostile turns. Each message is one byte (the dump fd's kind) + a 12-byte header + the body."""
import os, struct, sys

W = 0x400001
def msg(t, win, body=b"", fdkind=0):
    return bytes([fdkind]) + struct.pack("<III", t, win, len(body)) + body

CREATE, DESTROY, MAP, UNMAP, CONFIGURE, SHMIMAGE = 130, 131, 132, 133, 134, 136
CLIP, WMNAME, HINTS, FLAGS, WMCLASS, CURSOR, DUMPFD = 140, 141, 144, 145, 146, 148, 0x5ea30002
ICON = 0x5ea30005

def icon(sizes, win=W):
    head = struct.pack("<I", len(sizes)) + b"".join(struct.pack("<II", *wh) for wh in sizes)
    head = head.ljust(36, b"\0")
    pixels = b"".join(struct.pack("<I", 0xff000000 | (i * 0x030507 & 0xffffff))
                      for wh in sizes for i in range(wh[0] * wh[1]))
    return msg(ICON, win, head + pixels)
def create(w, h, x=10, y=20, orr=0, win=W):
    return msg(CREATE, win, struct.pack("<iiIIII", x, y, w, h, 0, orr))
def dumpfd(w, h, kind=0, win=W):
    return msg(DUMPFD, win, struct.pack("<IIII", w, h, w * 4, 0), kind)
life = (create(64, 48) + msg(WMNAME, W, b"title".ljust(128, b"\0"))
        + msg(WMCLASS, W, b"Class".ljust(64, b"\0") + b"name".ljust(64, b"\0"))
        + msg(HINTS, W, struct.pack("<9I", 0x30, 10, 10, 500, 400, 0, 0, 0, 0))
        + dumpfd(64, 48) + msg(MAP, W, struct.pack("<II", 0, 0))
        + msg(SHMIMAGE, W, struct.pack("<iiII", 0, 0, 64, 48))
        + msg(CURSOR, W, struct.pack("<I", 0x100 + 60))
        + msg(CONFIGURE, W, struct.pack("<iiIII", 30, 40, 80, 60, 0)) + dumpfd(80, 60)
        + msg(FLAGS, W, struct.pack("<II", 2, 0)) + msg(UNMAP, W) + msg(DESTROY, W))
seeds = {
    "life": life,
    "menu": create(100, 80, orr=1) + dumpfd(100, 80) + msg(MAP, W, struct.pack("<II", 0, 1)),
    "cover": create(1024, 768, 0, 0, 1) + msg(MAP, W, struct.pack("<II", 0, 1)),
    "bad-buffers": create(64, 48) + dumpfd(64, 48, 1) + dumpfd(64, 48, 2) + dumpfd(16384, 6144),
    "damage-outside": create(64, 48) + dumpfd(64, 48) + msg(MAP, W, struct.pack("<II", 0, 0))
        + msg(SHMIMAGE, W, struct.pack("<iiII", 60, 40, 16384, 6144)),
    "reused-id": create(10, 10) + create(10, 10),
    "clipboard": msg(CLIP, 0, b"unasked text"),
    "icons": create(32, 32) + icon([(16, 16), (8, 4)]) + icon([]) + icon([(1, 1)] * 4)
        + icon([(2, 2)], win=W + 7),
    "many": b"".join(create(8, 8, win=W + i) for i in range(40)),
}
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "daemon")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print(f"wrote {len(seeds)} seeds to {out}")
