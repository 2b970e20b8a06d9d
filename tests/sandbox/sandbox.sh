#!/usr/bin/env bash
# seam-run end to end on a host Xvfb: windows framed and titled, the isolation seen from inside
# (host display, home, network, session sockets, the host's session bus), a session bus of the
# domain's own (a GTK dialog without dconf warnings), disposables leaving nothing, joining,
# persistent homes, the three ways a domain ends leaving no process, exit statuses, and each bad
# argument.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
RUN=$BIN/seam-run
XP=$TBIN/seam-xprobe
TC=$PWD/$TBIN/seam-testclient
it_setup sandbox "$RUN" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$XP" "$TC"
command -v bwrap >/dev/null || { it_log "bubblewrap is needed: run 'make deps'"; exit 1; }
command -v pasta >/dev/null || { it_log "pasta (passt) is needed: run 'make deps'"; exit 1; }

IT_DISPLAY_BASE=90
it_xvfb HOST 1280x1024 || exit 1
HOSTNUM=${HOST#:}
export DISPLAY=$HOST
# Everything seam-run keeps (registry, homes, config) stays inside this test's directory.
export HOME=$IT_TMP/home XDG_RUNTIME_DIR=$IT_TMP/xdg XDG_CONFIG_HOME=$IT_TMP/config
unset XDG_DATA_HOME
mkdir -p -m 0700 "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
TOKEN=seam-$RANDOM$RANDOM
# The user's session bus, as a desktop has one: on the runtime directory's path and on an abstract
# socket. No domain may reach it; each has a bus of its own.
HOSTBUS_PATH=$XDG_RUNTIME_DIR/bus
HOSTBUS_ABSTRACT=$TOKEN-bus
cat >"$IT_TMP/hostbus.conf" <<EOF
<busconfig>
  <type>session</type>
  <listen>unix:path=$HOSTBUS_PATH</listen>
  <listen>unix:abstract=$HOSTBUS_ABSTRACT</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/></policy>
</busconfig>
EOF
it_bg HOSTBUS hostbus dbus-daemon --config-file="$IT_TMP/hostbus.conf" --nofork --nopidfile --print-address
it_wait_log "$IT_TMP/hostbus.log" '^unix:' 5 || exit 1
export DBUS_SESSION_BUS_ADDRESS=unix:path=$HOSTBUS_PATH
# bus_id [ADDRESS]: the id of the bus at ADDRESS (default: the session bus).
bus_id() {
	local bus=--session
	[[ -n ${1:-} ]] && bus=--bus=$1
	dbus-send "$bus" --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetId | tr -d ' '
}
HOSTBUS_ID=$(bus_id) || { it_log "the test's host session bus does not answer"; exit 1; }
B=3
# The test client is shared into the domains read-only, at the same path.
SHARE_TC=(--share "$PWD/$TBIN:ro")

. tests/sandbox/helpers.sh
inside() { "$RUN" "$@"; }

echo "sandbox: arguments and errors"
one_line_error() { # one_line_error REGEX COMMAND...: fails, with one line on stderr matching
	local re=$1 out rc
	shift
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -ne 0 && $(wc -l <<<"$out") -eq 1 && $out =~ $re && $out == seam-run:* ]]
}
check "-h prints the usage" bash -c "'$RUN' -h | grep -q 'usage: DISPLAY=<host> seam-run'"
check "no DISPLAY" one_line_error '^seam-run: no DISPLAY' env -u DISPLAY "$RUN" -- true
check "bubblewrap missing" one_line_error 'bubblewrap is not installed.*apt-get install bubblewrap' \
	env PATH=/nonexistent "$PWD/$RUN" -- true
check "user namespaces disabled (says how to enable them)" \
	one_line_error 'user namespaces are disabled.*sysctl -w user.max_user_namespaces' \
	unshare --user --map-root-user sh -c \
	"echo 0 >/proc/sys/user/max_user_namespaces && exec '$PWD/$RUN' -- true"
check "a bad domain name" one_line_error "--domain 'Bad_Name': a domain name is" "$RUN" --domain Bad_Name -- true
check "a domain name of 33 characters" one_line_error "a domain name is 1 to 32" \
	"$RUN" --domain "$(printf 'a%.0s' {1..33})" -- true
check "a domain name starting with '-'" one_line_error "a domain name is" "$RUN" --domain -x -- true
check "a bad label" one_line_error "--label 'pink'" "$RUN" --label pink -- true
check "a bad size" one_line_error "--size '10x10'" "$RUN" --size 10x10 -- true
check "--share of a missing directory" one_line_error "--share '/nonexistent'" "$RUN" --share /nonexistent -- true
check "--share of /tmp is refused (the X sockets)" one_line_error "refused.*/tmp/.X11-unix" "$RUN" --share /tmp -- true
check "--share of the home is refused (the X cookie)" one_line_error "refused" "$RUN" --share "$HOME" -- true
check "--domain with --disposable" one_line_error "exclude each other" "$RUN" --domain a --disposable -- true
check "no command" one_line_error "no COMMAND" "$RUN" --disposable
check "--kill of a domain that does not run" one_line_error "no domain of that name is running" "$RUN" --kill nosuch
not_found() {
	local out rc
	out=$("$RUN" -- no-such-command-$TOKEN 2>&1)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -eq 127 && $out == "seam-run: no-such-command-$TOKEN: command not found in the domain" ]]
}
check "a command not found inside: status 127 and one line" not_found

echo "sandbox: a window on the host"
STARTED=$(date +%s%N)
seamrun win --domain sbwin --label blue "${SHARE_TC[@]}" -- "$TC" --pattern --title hello --size 200x150 \
	--log /dev/null
find_hello() { xp find "[sbwin] hello" 10 >"$IT_TMP/win"; }
check "the window appears with the [sbwin] prefix" find_hello
read -r ID _ _ W H <"$IT_TMP/win"
it_log "first window on the host $((($(date +%s%N) - STARTED) / 1000000)) ms after seam-run started"
check "its frame is ${B}px of blue on every side" xp frame "$ID" $B 0x3465a4
check "its pixels are the guest's" xp pattern "$ID" $B
check "_QUBES_VMNAME is the domain's name" test "$(vmname "$ID")" = sbwin
check "--list shows it: name, label, kind, processes" bash -c \
	"'$RUN' --list | grep -Eq '^sbwin +blue +named +[1-9][0-9]* +seam-testclient'"
check "the guest screen has the host screen's size" \
	bash -c "'$RUN' --domain sbwin -- xdpyinfo | grep -q 'dimensions: *1280x1024 pixels'"
check "--kill ends it" "$RUN" --kill sbwin
wait_exit "$SR" 5
check "--list no longer shows it" bash -c "! '$RUN' --list | grep -q '^sbwin '"
# With Xorg (the default where installed) --size is the first size: the agent then takes the
# host's (tests/sandbox/resize.sh); the server's configuration says what it started with.
if [[ -x /usr/lib/xorg/Xorg && -e /usr/lib/xorg/modules/drivers/dummy_drv.so ]]; then
	check "--size sets the guest screen's first size (Xorg's Virtual 800 600)" bash -c \
		"'$RUN' --size 800x600 -- sh -c 'grep -q \"Virtual 800 600\" \"\$XDG_RUNTIME_DIR/xorg.conf\"'"
else
	check "--size sets the guest screen" bash -c "'$RUN' --size 800x600 -- xdpyinfo | grep -q 'dimensions: *800x600 pixels'"
fi

echo "sandbox: isolation, seen from inside"
# probe: run inside a domain; fails loudly at the first thing it can reach that it should not.
PROBE=$IT_TMP/probe
mkdir -p "$PROBE"
cat >"$PROBE/probe.sh" <<EOF
set -u
fail() { echo "reachable: \$*"; exit 1; }
xdpyinfo -display :$HOSTNUM >/dev/null 2>&1 && fail "the host display :$HOSTNUM (xdpyinfo)"
[ -e /tmp/.X11-unix/X$HOSTNUM ] && fail "the host's socket /tmp/.X11-unix/X$HOSTNUM"
python3 - <<'PY' || exit 1
import socket, sys
def tries(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect(addr)
        return True
    except OSError:
        return False
    finally:
        s.close()
for what, fam, addr in [("abstract socket", socket.AF_UNIX, "\0/tmp/.X11-unix/X$HOSTNUM"),
                        ("socket path", socket.AF_UNIX, "/tmp/.X11-unix/X$HOSTNUM"),
                        ("TCP on loopback", socket.AF_INET, ("127.0.0.1", 6000 + $HOSTNUM))]:
    if tries(fam, addr):
        print("reachable: the host display by its " + what); sys.exit(1)
PY
[ -n "\${XAUTHORITY:-}\${WAYLAND_DISPLAY:-}\${PULSE_SERVER:-}" ] &&
	fail "a session variable: \$(env | grep -E 'XAUTH|WAYLAND|PULSE')"
for p in $HOSTBUS_PATH /run/user/*/pulse /run/dbus/system_bus_socket "\$HOME/.Xauthority" /root/.Xauthority; do
	[ -e "\$p" ] && fail "\$p"
done
getid() {
	reply=\$(dbus-send "\$1" --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \\
		org.freedesktop.DBus.GetId 2>/dev/null) || return 1
	echo \$reply
}
getid --bus=unix:path=$HOSTBUS_PATH >/dev/null && fail "the host's session bus by its path"
getid --bus=unix:abstract=$HOSTBUS_ABSTRACT >/dev/null && fail "the host's session bus by its abstract socket"
case "\${DBUS_SESSION_BUS_ADDRESS:-}" in
"unix:path=\$XDG_RUNTIME_DIR/bus,"*) ;;
*) echo "DBUS_SESSION_BUS_ADDRESS is '\${DBUS_SESSION_BUS_ADDRESS:-}', not the domain's bus"; exit 1 ;;
esac
id=\$(getid --session) || { echo "no session bus of the domain's own"; exit 1; }
[ -n "\$id" ] && [ "\$id" != $HOSTBUS_ID ] || fail "the host's session bus (its id \$id)"
[ -e "$HOME/marker-$TOKEN" ] && fail "a file of the user's home"
[ "\$DISPLAY" = ":0" ] || fail "DISPLAY is \$DISPLAY, not the guest's :0"
exit 0
EOF
echo "secret" >"$HOME/marker-$TOKEN"
abstract_reachable_outside() {
	python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.connect('\0/tmp/.X11-unix/X$HOSTNUM')"
}
check "(control: the probe reaches the host display's abstract socket from the host)" abstract_reachable_outside
host_bus_reachable_outside() {
	[[ $(bus_id "unix:path=$HOSTBUS_PATH") == "$HOSTBUS_ID" ]] &&
		[[ $(bus_id "unix:abstract=$HOSTBUS_ABSTRACT") == "$HOSTBUS_ID" ]]
}
check "(control: it reaches the host's session bus by path and abstract socket from the host)" \
	host_bus_reachable_outside
check "without --net: the host display, session sockets and bus, and the home are out of reach" \
	inside --share "$PROBE:ro" -- sh "$PROBE/probe.sh"
check "with --net: likewise" inside --net --share "$PROBE:ro" -- sh "$PROBE/probe.sh"
only_lo() {
	local ifs
	ifs=$(inside -- sh -c "awk 'NR > 2 { print \$1 }' /proc/net/dev")
	echo "interfaces: $ifs"
	[[ $ifs == "lo:" ]]
}
check "without --net: only loopback" only_lo
net_up() {
	local out
	out=$(inside --net -- sh -c "awk 'NR > 2 { print \$1 }' /proc/net/dev; awk '\$2 == \"00000000\"' /proc/net/route")
	echo "$out"
	[[ $(grep -c ':$' <<<"$out") -ge 2 ]] && grep -q 00000000 <<<"$out"
}
check "with --net: an interface and a default route (pasta)" net_up
caps() {
	local out
	out=$(inside -- grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status)
	echo "$out"
	grep -q 'CapEff:.0000000000000000' <<<"$out" && grep -q 'CapBnd:.0000000000000000' <<<"$out" &&
		grep -q 'NoNewPrivs:.1' <<<"$out"
}
check "no capabilities, no new privileges" caps
only_std_fds() {
	local fds
	fds=$(inside -- python3 -c 'import os; print(sorted(int(f) for f in os.listdir("/proc/self/fd")))' 7<"$HOME/marker-$TOKEN")
	echo "descriptors inside: $fds"
	[[ $fds == "[0, 1, 2, 3]" ]]
}
check "no descriptor of seam-run's parent crosses in (but stdin, stdout, stderr)" only_std_fds
check "the system is read-only" inside -- sh -c '! touch /usr/x-$$ 2>/dev/null && ! touch /etc/x-$$ 2>/dev/null'
check "sysctls are read-only (kernel.core_pattern would be host root)" \
	inside -- sh -c '! (echo x >/proc/sys/kernel/core_pattern) 2>/dev/null && [ "$(cat /proc/sys/kernel/hostname)" = "$SEAM_DOMAIN" ]'
check "the channel directory is read-only, and holds only the daemon's socket" \
	inside -- sh -c '! touch /run/seam/x 2>/dev/null && [ "$(ls -A /run/seam)" = gui.sock ] && [ -S /run/seam/gui.sock ]'
# A host process with a name of its own must not be visible inside (the pattern's brackets keep the
# probe's own command line from matching it).
pid_namespace() {
	bash -c "exec -a marker-$TOKEN sleep 60" &
	local marker=$! rc
	inside -- sh -c "init=\$(tr '\\0' ' ' </proc/1/cmdline); echo \"PID 1: \$init\";
		for p in /proc/[0-9]*; do tr '\\0' ' ' <\$p/cmdline 2>/dev/null; echo; done | grep 'marke[r]-$TOKEN' && exit 1;
		[ \"\$init\" = '/run/seam-bin/seam-run --sandbox-init --size 1280x1024 ' ]"
	rc=$?
	kill "$marker" 2>/dev/null
	wait "$marker" 2>/dev/null
	return $rc
}
check "PID 1 is seam-run's init; host processes are invisible" pid_namespace
mkdir -p "$IT_TMP/rw" "$IT_TMP/ro"
# A domain of root's runs as nobody, who writes to a share only where nobody may.
[[ $(id -u) -eq 0 ]] && chown nobody "$IT_TMP/rw"
check "--share DIR is writable at the same path" inside --share "$IT_TMP/rw" -- sh -c "echo ok >'$IT_TMP/rw/f'"
check "(the host sees what it wrote)" grep -q ok "$IT_TMP/rw/f"
check "--share DIR:ro is read-only" inside --share "$IT_TMP/ro:ro" -- sh -c "! touch '$IT_TMP/ro/f' 2>/dev/null"

echo "sandbox: a session bus of the domain's own"
# A GTK file dialog writes its settings through GSettings at once: without a bus, dconf printed
# about 50 warnings for it.
seamrun gtk --domain sbgtk -- timeout 4 zenity --file-selection --title "gtk-$TOKEN"
gtk_quiet() {
	wait_info sbgtk && NS=$(info sbgtk pidns) || return 1
	xp find "[sbgtk] gtk-$TOKEN" 10 || return 1
	wait_exit "$SR" 10 || return 1
	echo "status $RC; its stderr:"
	cat "$IT_TMP/gtk.log"
	# Where GVfs is installed, GLib would ask the domain's bus for its volume monitors (udisks2
	# needs the system bus, which no domain has): seam-run sets GIO_USE_VOLUME_MONITOR=unix.
	[[ $RC -eq 124 ]] && ! grep -Eqi 'dconf|d-bus|dbus|GLib-GIO-WARNING|GVFS' "$IT_TMP/gtk.log"
}
check "a GTK file dialog (zenity) shows and prints no dconf or D-Bus warning" gtk_quiet
check "... its settings went to dconf, in the domain's home" \
	test -s "$HOME/.local/share/seam/domains/sbgtk/home/.config/dconf/user"
check "... and no process is left (the bus, dconf-service)" no_process_left "$NS"

echo "sandbox: disposables"
check "the exit status passes through" bash -c "'$RUN' -- sh -c 'exit 7'; [ \$? -eq 7 ]"
disposable_leaves_nothing() {
	inside --disposable -- sh -c "for d in \$HOME /tmp /var/tmp /run/user/*; do echo x >\$d/left-$TOKEN || exit 1; done" ||
		return 1
	local found
	found=$(find /tmp /var/tmp /root /run /dev/shm "$IT_TMP" -xdev -name "left-$TOKEN" 2>/dev/null)
	echo "found: $found"
	[[ -z $found ]]
}
check "a disposable's files are gone after it ends" disposable_leaves_nothing
check "disposables are named disp<N>, red by default" bash -c "'$RUN' -- sh -c 'echo \$SEAM_DOMAIN' | grep -qx 'disp[0-9]*'"

# Closing the last window ends the domain even though its command still runs.
seamrun close --disposable "${SHARE_TC[@]}" -- sh -c "'$TC' --title closeme --log /dev/null; sleep 30"
DNAME=
closes() {
	xp find "] closeme" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	DNAME=$(vmname "$ID")
	wait_info "$DNAME" && NS=$(info "$DNAME" pidns) && xp frame "$ID" $B 0xcc0000 &&
		xp close "$ID" && wait_exit "$SR" 5
}
NS=0
check "closing the last window ends the disposable (its frame was red)" closes
check "... and leaves no process behind" no_process_left "$NS"

seamrun term --disposable -- xlogo
term_ends() {
	xp find "] xlogo" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	DNAME=$(vmname "$ID")
	wait_info "$DNAME" && NS=$(info "$DNAME" pidns) || return 1
	local t0=$(date +%s%N)
	kill -TERM "$SR"
	wait_exit "$SR" 1 || return 1
	TERM_MS=$((($(date +%s%N) - t0) / 1000000))
	echo "status $RC"
	[[ $RC -eq 143 ]]
}
TERM_MS=?
check "SIGTERM tears it down within a second (status 143)" term_ends
it_log "SIGTERM to seam-run's exit: $TERM_MS ms"
check "... and leaves no process behind" no_process_left "$NS"
check "... and its window is gone" xp gone "] xlogo" 2

seamrun int --disposable -- sleep 30
int_ends() {
	# This seam-run's own domain (registered once its signals are caught), not the first listed:
	# an entry left by the domain before could be signalled too early, and the SIGINT of a
	# background job that does not catch it yet is ignored.
	local d= i
	for ((i = 0; i < 200; i++)); do
		for d in "$XDG_RUNTIME_DIR"/seam/domains/*; do
			[[ $(info "${d##*/}" owner) == "$SR" ]] && break 2
		done
		d=
		sleep 0.05
	done
	[[ -n $d ]] && wait_info "${d##*/}" || return 1
	NS=$(info "${d##*/}" pidns)
	kill -INT "$SR"
	wait_exit "$SR" 1 && [[ $RC -eq 130 ]]
}
check "Ctrl+C (SIGINT) likewise (status 130)" int_ends
check "... and leaves no process behind" no_process_left "$NS"

seamrun xterm --disposable -- xterm -T sbxterm -e sh -c 'sleep 30'
xterm_runs() {
	xp find "] sbxterm" 10 || return 1
	kill -TERM "$SR"
	wait_exit "$SR" 2
}
check "xterm runs in a disposable (the README's example)" xterm_runs

echo "sandbox: named domains"
seamrun join --domain sbjoin "${SHARE_TC[@]}" -- sh -c \
	"echo $TOKEN >/tmp/first; echo \$DBUS_SESSION_BUS_ADDRESS >/tmp/first-bus; sleep 30"
wait_info sbjoin
check "a joined command sees the first one's /tmp" bash -c "[ \"\$('$RUN' --domain sbjoin -- cat /tmp/first)\" = $TOKEN ]"
same_bus() {
	local out
	out=$("$RUN" --domain sbjoin -- sh -c 'echo "first: $(cat /tmp/first-bus)"; echo "joined: $DBUS_SESSION_BUS_ADDRESS"
		dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetId')
	echo "$out"
	local first joined
	first=$(sed -n 's/^first: //p' <<<"$out")
	joined=$(sed -n 's/^joined: //p' <<<"$out")
	[[ $first == unix:path=* && $first == "$joined" && -n $(sed -n 3p <<<"$out") ]]
}
check "a joined command has the first one's session bus" same_bus
check "a joined command's status passes through" bash -c "'$RUN' --domain sbjoin -- sh -c 'exit 9'; [ \$? -eq 9 ]"
seamrun join2 --domain sbjoin -- "$TC" --title joined --log /dev/null
JOINER=$SR
check "a joined command's window shows with the same daemon" xp find "[sbjoin] joined" 10
check "joining with another label is refused" one_line_error "already runs with label gray, not green" \
	"$RUN" --domain sbjoin --label green -- true
NS=$(info sbjoin pidns)
check "--kill ends the domain with every command in it" "$RUN" --kill sbjoin
check "... the joined seam-run returns too" wait_exit "$JOINER" 3
check "... and no process is left" no_process_left "$NS"

mkdir -p "$XDG_CONFIG_HOME/seam/domains"
echo "label = green  # from the config file" >"$XDG_CONFIG_HOME/seam/domains/sbhome.conf"
check "a named domain writes its home" inside --domain sbhome -- sh -c "echo $TOKEN >\$HOME/persist"
check "... which it finds again in the next run" bash -c "[ \"\$('$RUN' --domain sbhome -- cat \$HOME/persist)\" = $TOKEN ]"
check "... and which is ~/.local/share/seam/domains/sbhome/home on the host" \
	grep -qx "$TOKEN" "$HOME/.local/share/seam/domains/sbhome/home/persist"
seamrun home --domain sbhome "${SHARE_TC[@]}" -- "$TC" --title greenwin --log /dev/null
label_from_conf() {
	xp find "[sbhome] greenwin" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	xp frame "$ID" $B 0x73d216
}
check "its label comes from ~/.config/seam/domains/sbhome.conf" label_from_conf
"$RUN" --kill sbhome >/dev/null 2>&1
wait_exit "$SR" 3

echo "sandbox: a shared machine"
# another_owner DIR: a runtime directory another user made, or one open to everyone.
refused_dir() {
	local d=$IT_TMP/xdg-$1 out rc
	mkdir -p -m 0700 "$d/seam"
	if [[ $1 == other ]]; then chown nobody "$d/seam"; else chmod 0777 "$d/seam"; fi
	out=$(XDG_RUNTIME_DIR=$d "$RUN" --list 2>&1 >/dev/null)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -eq 1 && $(wc -l <<<"$out") -eq 1 && $out == *"refusing it"* ]] || return 1
	out=$(XDG_RUNTIME_DIR=$d "$RUN" -- true 2>&1)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -eq 1 && $(wc -l <<<"$out") -eq 1 && $out == *"refusing it"* ]] &&
		[[ -z $(ls -A "$d/seam") ]]
}
if [[ $(id -u) -eq 0 ]]; then
	check "a runtime directory owned by another user is refused (one line)" refused_dir other
fi
check "a runtime directory of mode 0777 is refused (one line)" refused_dir open
seamrun forged --domain sbforged -- sleep 30
FORGED=$SR
sleep 30 &
BYSTANDER=$!
IT_PIDS+=("$BYSTANDER")
forged_pid() {
	wait_info sbforged || return 1
	local f=$XDG_RUNTIME_DIR/seam/domains/sbforged/info out
	sed -i "s/^owner=.*/owner=$BYSTANDER/" "$f"
	out=$("$RUN" --kill sbforged 2>&1)
	echo "$out"
	[[ $out == *"is not the domain's seam-run: not signalling it"* ]] && kill -0 "$BYSTANDER" &&
		kill -0 "$FORGED"
}
check "--kill does not signal a pid a forged info file names" forged_pid
escaped_label() {
	local f=$XDG_RUNTIME_DIR/seam/domains/sbforged/info out
	sed -i "s/^label=.*/label=$(printf '\033]0;x\a\033[2J')red/" "$f"
	out=$("$RUN" --list)
	cat -v <<<"$out"
	grep -q '^sbforged ' <<<"$out" && ! LC_ALL=C grep -q '[^ -~]' <<<"$out"
}
check "--list prints no escape from a label" escaped_label
kill "$FORGED" "$BYSTANDER" 2>/dev/null
wait_exit "$FORGED" 3

if [[ $(id -u) -eq 0 ]]; then
	echo "sandbox: a domain of root's"
	SECRET=/etc/seam-test-secret
	echo "$TOKEN" >"$SECRET"
	chmod 0600 "$SECRET"
	secret_unreadable() {
		local out rc
		out=$("$RUN" --disposable -- cat "$SECRET" 2>&1)
		rc=$?
		echo "status $rc: $out"
		[[ $rc -ne 0 && $out != *"$TOKEN"* ]]
	}
	check "a root-only file (0600 under /etc) is not readable inside" secret_unreadable
	rm -f "$SECRET"
	seamrun asnobody --domain sbnobody -- sleep 30
	host_uids() {
		wait_info sbnobody || return 1
		local ns p uids=
		ns=$(info sbnobody pidns)
		for p in /proc/[0-9]*; do
			[[ $(readlink "$p/ns/pid" 2>/dev/null) == "pid:[$ns]" ]] &&
				uids+="$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "$p/status") "
		done
		echo "host uids in the domain: $uids"
		[[ -n $uids && -z ${uids//65534655346553465534 /} ]]
	}
	check "every process of root's domain is nobody on the host" host_uids
	"$RUN" --kill sbnobody >/dev/null 2>&1
	wait_exit "$SR" 3
fi

check "nothing is left registered" bash -c "[ -z \"\$(ls '$XDG_RUNTIME_DIR/seam/domains')\" ]"
it_done
