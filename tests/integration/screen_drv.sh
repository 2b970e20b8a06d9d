#!/usr/bin/env bash
# tests/integration/screen.sh with the guest Xorg on Seam's driver seam_drv: its RandR outputs,
# CRTCs and screen resizing under the agent, as seam-run and seam-guest-session run it.
exec env SEAM_IT_GUEST_DRIVER=seam bash "$(dirname "$0")/screen.sh"
