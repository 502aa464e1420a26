#!/usr/bin/env bash
# Run the whole suite: unit and server tests in parallel, then the browser
# journeys serially (they drive Debian's chromium through Playwright).
# BRUG_TEST_BROWSER=0 leaves the browser journeys out (CI runs them once).
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

status=0
$PYTEST -n "$WORKERS" -m "not browser" "$@" || status=$?
if [ "$browser" = "1" ]; then
  export BRUG_CHROMIUM="$(find_chromium)"
  $PYTEST -p no:xdist -m browser "$@" || status=$?
fi
exit $status
