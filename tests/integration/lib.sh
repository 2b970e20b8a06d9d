# Shared by the integration tests: X servers, Seam's programs, checks, cleanup.
# A test sources this, calls it_setup, runs `check NAME COMMAND...` lines, and ends with it_done.

BIN=${BIN:-build/bin}
TBIN=${TBIN:-build/tests}
IT_PIDS=()
IT_FAILED=0
IT_PASSED=0
IT_TMP=$(mktemp -d /tmp/seam-it-XXXXXX)

it_log() { printf '%s: %s\n' "${IT_NAME:-it}" "$*"; }

it_cleanup() {
	local p
	for p in "${IT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.2
	for p in "${IT_PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	if ((IT_FAILED)) && [[ -d $IT_TMP ]]; then
		it_log "logs of the failed run:"
		for f in "$IT_TMP"/*.log; do [[ -f $f ]] && { echo "--- $f"; tail -n 30 "$f"; }; done
	fi
	rm -rf "$IT_TMP"
}

# A display number nobody uses, from $1 upwards.
it_free_display() {
	local n=$1
	while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
	echo "$n"
}

# it_xvfb VAR [WxH]: start an Xvfb, wait until it answers, set VAR to its ":N".
it_xvfb() {
	local var=$1 size=${2:-1280x1024} n
	n=$(it_free_display "${IT_DISPLAY_BASE:-60}")
	IT_DISPLAY_BASE=$((n + 1))
	Xvfb ":$n" -screen 0 "${size}x24" -nolisten tcp >"$IT_TMP/xvfb$n.log" 2>&1 &
	IT_PIDS+=($!)
	it_display_up "$var" "$n" Xvfb 100
}

# it_display_up VAR N NAME TRIES: wait (TRIES x 50 ms) until :N answers, then set VAR to ":N".
it_display_up() {
	local _
	for _ in $(seq "$4"); do
		DISPLAY=":$2" xdpyinfo >/dev/null 2>&1 && break
		sleep 0.05
	done
	DISPLAY=":$2" xdpyinfo >/dev/null 2>&1 || { it_log "$3 :$2 did not start"; return 1; }
	printf -v "$1" ':%s' "$2"
}

# it_xorg VAR [WxH [DRIVER [XORG-ARGS...]]]: like it_xvfb, with Xorg and the dummy video driver
# (or DRIVER, e.g. seam with -modulepath among XORG-ARGS): an X server whose XKB keymap setxkbmap
# can change (this Debian's Xvfb keeps its first keymap whatever is uploaded).
it_xorg() {
	local var=$1 size=${2:-1280x1024} driver=${3:-dummy} n
	shift $(($# < 3 ? $# : 3))
	n=$(it_free_display "${IT_DISPLAY_BASE:-60}")
	IT_DISPLAY_BASE=$((n + 1))
	cat >"$IT_TMP/xorg$n.conf" <<-EOF
		Section "Device"
			Identifier "$driver"
			Driver "$driver"
			VideoRam 64000
			${IT_XORG_DEVICE_EXTRA:-}
		EndSection
		Section "Screen"
			Identifier "screen"
			Device "$driver"
			DefaultDepth 24
			SubSection "Display"
				Depth 24
				Virtual ${size%x*} ${size#*x}
			EndSubSection
		EndSection
		Section "ServerFlags"
			Option "AutoAddDevices" "false"
			Option "DontVTSwitch" "true"
		EndSection
	EOF
	Xorg ":$n" -config "$IT_TMP/xorg$n.conf" -logfile "$IT_TMP/xorg$n.log" -nolisten tcp \
		-noreset "$@" >/dev/null 2>&1 &
	IT_PIDS+=($!)
	it_display_up "$var" "$n" Xorg 200
}

# it_bg VAR LOGNAME COMMAND...: run in the background, remember its pid in VAR.
it_bg() {
	local var=$1 log=$2
	shift 2
	"$@" >>"$IT_TMP/$log.log" 2>&1 &
	IT_PIDS+=($!)
	printf -v "$var" '%s' "$!"
}

# it_wait_log FILE REGEX [SECONDS]: wait until a line of FILE matches.
it_wait_log() {
	local f=$1 re=$2 t=${3:-10} i
	for ((i = 0; i < t * 20; i++)); do
		grep -qE "$re" "$f" 2>/dev/null && return 0
		sleep 0.05
	done
	it_log "no line matching /$re/ in $f after ${t}s"
	return 1
}

# check NAME COMMAND...: run a check, count it, print its result.
check() {
	local name=$1
	shift
	if "$@" >"$IT_TMP/check.out" 2>&1; then
		IT_PASSED=$((IT_PASSED + 1))
		printf '  ok    %s\n' "$name"
	else
		IT_FAILED=$((IT_FAILED + 1))
		printf '  FAIL  %s\n' "$name"
		sed 's/^/        /' "$IT_TMP/check.out"
	fi
}

# it_setup NAME PROGRAM...: name the test, arrange cleanup, check the programs it needs are built.
it_setup() {
	IT_NAME=$1
	shift
	trap it_cleanup EXIT
	trap 'exit 130' INT TERM
	for p in "$@"; do
		[[ -x $p ]] || { it_log "missing $p: run make first"; exit 1; }
	done
}

# it_need_gtk3: exit unless Python's GTK 3 bindings are there (the tests' GTK applications).
it_need_gtk3() {
	/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null ||
		{ it_log "GTK 3 for Python is missing (make deps installs python3-gi, gir1.2-gtk-3.0)"; exit 1; }
}

it_done() {
	echo "$IT_NAME: $IT_PASSED passed, $IT_FAILED failed"
	((IT_FAILED == 0))
}
