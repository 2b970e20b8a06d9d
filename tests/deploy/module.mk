# tests/deploy/: `make install` into a staging tree, checked file by file (units verified with
# systemd-analyze where it exists), and seam-guest-session starting its own X server and agent
# against a host daemon.
INTEGRATION_TESTS += tests/deploy/install.sh tests/deploy/guest_session.sh
