#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_frame, fuzz_audio, fuzz_sandbox_msg and fuzz_chan
(tests/fuzz/corpus/{frame,audio,sandbox-msg,chan}): honest exchanges and a few hostile turns, in
the input layout each target's header comment describes. Run it by hand after a wire change:
    python3 tests/fuzz/seed_framing.py [OUTDIR]"""
import os, struct, sys

# ---- the GUI protocol (protocol/proto.h) ----
W = 0x400001
KEYPRESS, CLOSE, CREATE, MAP, CONFIGURE, SHMIMAGE = 124, 137, 130, 132, 134, 136
CLIP, WMNAME, WINDOW_DUMP, DUMPFD = 140, 141, 147, 0x5ea30002

def gui(t, win, body=b""):
    return struct.pack("<III", t, win, len(body)) + body

def create(w, h, win=W):
    return gui(CREATE, win, struct.pack("<iiIIII", 10, 20, w, h, 0, 0))

def dumpfd(w, h, win=W):
    return gui(DUMPFD, win, struct.pack("<IIII", w, h, w * 4, 0))

def window_dump(w, h, win=W):
    pages = (w * h * 4 + 4095) // 4096
    return gui(WINDOW_DUMP, win, struct.pack("<IIII", 0, w, h, 32) + struct.pack("<I", 7) * pages)

gui_life = (create(64, 48) + gui(WMNAME, W, b"title".ljust(128, b"\0")) + window_dump(64, 48)
            + gui(MAP, W, struct.pack("<II", 0, 0)) + gui(SHMIMAGE, W, struct.pack("<iiII", 0, 0, 64, 48))
            + gui(CLIP, 0, b"copied text"))
gui_daemon = (gui(KEYPRESS, W, struct.pack("<IiiII", 2, 5, 5, 0, 38))
              + gui(CONFIGURE, W, struct.pack("<iiIII", 0, 0, 100, 80, 0)) + gui(CLOSE, W) + gui(200, 0, b"x" * 9))

# ---- the audio protocol (audio/audio_proto.h) ----
A_HELLO, A_CONFIG, A_DATA, A_START, A_STOP, A_MIC_REQ, A_MIC_STATE, A_MIC_DATA = range(0x5ea3a001, 0x5ea3a009)
MAGIC = 0x44554153

def audio(t, body=b""):
    return struct.pack("<III", t, 0, len(body)) + body

hello = audio(A_HELLO, struct.pack("<5I", MAGIC, 1, 1, 44100, 2))
pcm = bytes(range(256)) * 6 + bytes(228)  # 1764 bytes: 10 ms at 44.1 kHz stereo s16le
agent_session = (hello + audio(A_MIC_REQ, struct.pack("<I", 1)) + audio(A_START) + audio(A_DATA, pcm)
                 + audio(A_DATA, pcm[:400]) + audio(A_STOP) + audio(A_MIC_REQ, struct.pack("<I", 0)))
daemon_side = (audio(A_CONFIG, struct.pack("<4I", 1, 1, 48000, 2)) + audio(A_MIC_STATE, struct.pack("<I", 1))
               + audio(A_MIC_DATA, pcm[:960]) + audio(0x5ea3a0ff, b"newer") + audio(A_MIC_STATE, struct.pack("<I", 0)))

# ---- seam-run's messages (sandbox/msg.h) ----
SPAWN, STARTED, FAILED, EXITED, SIGNAL, WINDOWS, READY, STOP, UP, LIST = range(1, 11)

def run(t, ident=0, value=0, payload=b""):
    return struct.pack("<IIiI", t, ident, value, len(payload)) + payload

spawn = run(SPAWN, 1, 4, b"/home/user\0xterm\0-e\0top\0")

# ---- the channel (shm/chan.c): byte 0 flags, byte 1 segment length - 1 ----
def chan(max_io=0, daemon_frame=False, small=False, fd_every=0, seg=256):
    return bytes([max_io | (8 if daemon_frame else 0) | (16 if small else 0) | (fd_every << 5), seg - 1])

seeds = {
    "frame": {
        # byte 0: table (0 GUI, 1 audio, 2 seam-run) | sender << 2 | extra fds << 4
        "gui-agent": bytes([0 | 1 << 2]) + gui_life,
        "gui-daemon": bytes([0 | 2 << 2]) + gui_daemon,
        "gui-fd": bytes([0 | 1 << 2]) + dumpfd(64, 48),
        "gui-wrong-sender": bytes([0 | 2 << 2]) + create(8, 8),
        "gui-extra-fd": bytes([0 | 1 << 2 | 1 << 4]) + create(8, 8),
        "audio-agent": bytes([1 | 1 << 2]) + agent_session,
        "audio-daemon": bytes([1 | 2 << 2]) + daemon_side,
        "seam-run": bytes([2]) + spawn + run(STARTED, 1, 42) + run(LIST, 0, 1, b"xterm") + run(EXITED, 1, 0),
    },
    "audio": {
        # byte 0: bit 0 from the daemon, bit 1 mic allowed, bit 2 the policy flips
        "session": bytes([0]) + agent_session,
        "mic-allowed": bytes([2]) + agent_session,
        "mic-flips": bytes([6]) + agent_session,
        "daemon": bytes([1]) + daemon_side,
        "before-hello": bytes([0]) + audio(A_START) + audio(A_DATA, pcm[:64]),
        "partial-frame": bytes([0]) + hello + audio(A_START) + audio(A_DATA, pcm[:7]),
        "bad-magic": bytes([0]) + audio(A_HELLO, struct.pack("<5I", 0x12345678, 1, 1, 44100, 2)),
    },
    "sandbox-msg": {
        # byte 0: descriptors beside the packet
        "spawn": bytes([3]) + spawn,
        "spawn-two-fds": bytes([2]) + spawn,
        "started": bytes([0]) + run(STARTED, 1, 1234),
        "failed": bytes([0]) + run(FAILED, 1, 2),
        "exited": bytes([0]) + run(EXITED, 1, 137),
        "windows": bytes([0]) + run(WINDOWS, 0, 3),
        "list": bytes([0]) + run(LIST, 0, 2, b"xterm firefox"),
        "status-with-payload": bytes([0]) + run(READY, 0, 0, b"x"),
        "status-with-fd": bytes([1]) + run(UP),
        "short": bytes([0]) + run(STOP)[:10],
    },
    "chan": {
        "stream": chan() + gui_life,
        "byte-reads": chan(max_io=1, seg=5) + create(64, 48) + gui(MAP, W, struct.pack("<II", 0, 0)),
        "daemon-frame": chan(daemon_frame=True, seg=17) + gui_life + create(8, 8, win=0) + gui(0xdead, W),
        "fd-per-message": chan(daemon_frame=True, fd_every=1, seg=28) + dumpfd(64, 48) * 3,
        "fd-misplaced": chan(fd_every=2, seg=12) + create(8, 8) + dumpfd(8, 8),
        "small-body": chan(small=True) + gui(CLIP, 0, b"y" * 5000),
        "truncated": chan(max_io=2) + create(64, 48)[:30],
    },
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
for target, files in seeds.items():
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(files)} seeds to {d}")
