#!/usr/bin/env bash
# The long variant of faults_link, not run by ctest/CI (≈ 2.5 min): the uplink down for 60 s and a
# 64 MiB echo at 1 % and 10 % loss. Figures: docs/reliability.md.
exec env FAULTS_FLAP_S="${FAULTS_FLAP_S:-60}" FAULTS_TRANSFER_MIB="${FAULTS_TRANSFER_MIB:-64}" \
    "$(dirname "$0")/test.sh" "$@"
