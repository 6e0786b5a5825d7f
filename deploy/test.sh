#!/usr/bin/env bash
# Gemba tests: installs what the tests need (when run as root), then builds and runs every test.
#   deploy/test.sh [extra Maven arguments]
set -euo pipefail
source "$(dirname "$0")/bin/gemba-env"
gemba_require_tools
gemba_require_packages
cd "$GEMBA_ROOT"
exec mvn -B verify "$@"
