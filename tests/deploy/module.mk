# tests/deploy/: `make install` into a staging tree, checked file by file (units verified with
# systemd-analyze where it exists), seam-guest-session starting its own X server and agent
# against a host daemon, and the daemon's notifications reaching a session bus (clean environment,
# under its seccomp filter).
INTEGRATION_TESTS += tests/deploy/install.sh tests/deploy/guest_session.sh tests/deploy/notify.sh
