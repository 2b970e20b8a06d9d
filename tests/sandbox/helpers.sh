# Shared by the scripts that run seam-run domains on a host Xvfb (tests/sandbox/sandbox.sh,
# tests/launch/launch.sh): X clients that retry, windows and their domains, the registry, and
# what a domain leaves behind. Needs XP (seam-xprobe), RUN (seam-run), IT_TMP and XDG_RUNTIME_DIR.

# The host X server (21.1) now and then drops a client that connects just as another one leaves
# (a domain's daemon, as the check before ends): this test's own X clients retry that.
xretry() {
	local i
	for i in 1 2 3 4 5; do
		"$@" 2>"$IT_TMP/xretry.err" && { cat "$IT_TMP/xretry.err" >&2; return 0; }
		grep -Eqi "cannot connect|unable to open display|can't open display" "$IT_TMP/xretry.err" || break
		sleep 0.1
	done
	cat "$IT_TMP/xretry.err" >&2
	return 1
}
xp() { xretry "$XP" "$@"; }
vmname() { xretry xprop -id "$1" _QUBES_VMNAME | sed 's/.*= "\(.*\)"/\1/'; }

# seamrun LOG ARGS...: seam-run in the background; its pid in SR.
seamrun() {
	local log=$1
	shift
	"$RUN" "$@" >"$IT_TMP/$log.log" 2>&1 &
	SR=$!
	IT_PIDS+=("$SR")
}
# wait_exit PID SECONDS: wait for a background seam-run; its status in RC.
wait_exit() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$1" 2>/dev/null && { it_log "seam-run $1 still runs after $2 s"; RC=999; return 1; }
	wait "$1"
	RC=$?
}
info() { sed -n "s/^$2=//p" "$XDG_RUNTIME_DIR/seam/domains/$1/info" 2>/dev/null; }
# wait_info NAME: until the domain's registry entry names its PID namespace.
wait_info() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -n $(info "$1" pidns) && $(info "$1" pidns) != 0 ]] && return 0
		sleep 0.05
	done
	return 1
}
# no_process_left PIDNS: no process on the machine in that PID namespace, and no seam program
# (daemon, pasta, bwrap) with this test's runtime directory on its command line.
no_process_left() {
	local p left=0
	for p in /proc/[0-9]*; do
		if [[ $(readlink "$p/ns/pid" 2>/dev/null) == "pid:[$1]" ]]; then
			echo "left in the domain: $(tr '\0' ' ' <"$p/cmdline")"
			left=1
		fi
		if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "$XDG_RUNTIME_DIR/seam"; then
			echo "left on the host: $(tr '\0' ' ' <"$p/cmdline")"
			left=1
		fi
	done
	return $left
}
