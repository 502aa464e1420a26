#!/usr/bin/env bash
# Run the whole suite: unit and server tests on two parallel workers, then the
# browser journeys serially (they drive Debian's chromium through Playwright).
#
#   BRUG_TEST_BROWSER=0   leave the browser journeys out (CI runs them once, on SQLite)
#   BRUG_TEST_WORKERS=N   parallel workers for the first part (default 2)
#   CI=true               a missing chromium fails the run instead of skipping the journeys
#
# Extra arguments go to pytest, e.g. `scripts/test.sh brug/core -x`.
set -uo pipefail
cd "$(dirname "$0")/.."
export BRUG_DATA_DIR="${BRUG_TEST_DATA_DIR:-$PWD/var/test}"
mkdir -p "$BRUG_DATA_DIR" test-artifacts
PYTEST=.venv/bin/pytest
WORKERS="${BRUG_TEST_WORKERS:-2}"

find_chromium() {
  for c in "${BRUG_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

browser=1
if [ "${BRUG_TEST_BROWSER:-1}" = "0" ]; then
  browser=0
elif ! find_chromium >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser journeys…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if ! find_chromium >/dev/null; then
    if [ "${CI:-}" = "true" ]; then
      echo "CI=true and no chromium: the browser journeys cannot run." >&2
      exit 1
    fi
    echo "No chromium found (apt-get install chromium): SKIPPING the browser journeys." >&2
    browser=0
  fi
fi

# pytest exits 5 when it collected nothing. For the whole suite that is an
# error; when arguments narrow the run, or for the journeys, it is not.
narrowed=0
[ "$#" -gt 0 ] && narrowed=1
run() {
  local allow_empty="$1"; shift
  "$PYTEST" "$@"
  local code=$?
  if [ "$code" = "5" ]; then
    if [ "$allow_empty" = "1" ]; then
      echo "(no tests of this kind selected)"
      return 0
    fi
    echo "No tests were collected at all." >&2
  fi
  return $code
}

# BRUG_TEST_SCHEMATHESIS=0 leaves the API fuzzing out of this run (CI fuzzes
# once, in its PostgreSQL pass, to stay well inside its time budget).
marks="not browser"
[ "${BRUG_TEST_SCHEMATHESIS:-1}" = "0" ] && marks="not browser and not schemathesis"

status=0
run "$narrowed" -n "$WORKERS" -m "$marks" --durations=10 "$@" || status=$?
if [ "$browser" = "1" ]; then
  export BRUG_CHROMIUM="$(find_chromium)"
  run "$narrowed" -p no:xdist -m browser "$@" || status=$?
fi
if [ "$status" = "0" ]; then echo "All tests passed."; else echo "Tests FAILED (exit $status)." >&2; fi
exit $status
