#!/usr/bin/env bash
# The browser end-to-end suite: real Chromium (Debian's package, driven by
# playwright-core) against the real ublog binary, in both deployments.
# Installs what it needs on a fresh machine; exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")"
E2E="$PWD"
REPO="$(cd .. && pwd)"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x /usr/bin/chromium ]; then
  step "installing Chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

step "npm dependencies (playwright-core only; it downloads no browser)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

step "SMTP sink dependency"
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check aiosmtpd

step "cargo build -p ublog"
(cd "$REPO" && cargo build -p ublog)

step "browser tests (one file per deployment, run side by side)"
rm -rf "$E2E/output"
node --test --test-concurrency=2 --test-reporter=spec "$E2E"/*.test.js
