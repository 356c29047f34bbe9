#!/usr/bin/env bash
# Runs one CMake step for Maven (java/pom.xml).
# Usage: maven-step.sh --maven-log-level=N cmake ARGS...
# N is Maven's ${session.request.loggingLevel}: 0 debug, 1 info, 2 warn, 3 error (-q).
# Under -q the step's stdout (CMake's "-- ..." status lines, make's progress lines) goes to a
# temporary file that is shown only if the step fails, and removed however the step ends; stderr (compiler and CMake
# warnings, errors) always passes through. Otherwise everything is shown as usual.
set -uo pipefail
level="${1#--maven-log-level=}"; shift
if [ "$level" -lt 3 ]; then
  exec "$@"
fi
log="$(mktemp "${TMPDIR:-/tmp}/timestep-cmake.XXXXXX")"
trap 'rm -f "$log"' EXIT
"$@" > "$log"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "cmake step failed (exit $rc): $*" >&2
  cat "$log" >&2
fi
exit "$rc"
