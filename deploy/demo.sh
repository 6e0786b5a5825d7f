#!/usr/bin/env bash
# Gemba demo: a simulated park through the whole platform on this machine.
#   deploy/demo.sh [--http-port N] [--data-dir DIR] [--park FILE] [--speed N] [--seed S]
# Installs missing Debian packages when run as root, builds when needed, prints the dashboard
# address once it answers, and stops everything on Ctrl-C or SIGTERM.
set -euo pipefail
source "$(dirname "$0")/bin/gemba-env"

args=("$@")
park=(--park "$GEMBA_ROOT/deploy/parks/demo.yaml")
for arg in "${args[@]}"; do
  case "$arg" in
    -h | --help)
      sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    --park | --park=*) park=() ;;
  esac
done

gemba_require_tools
gemba_require_packages
gemba_build_if_needed
cd "$GEMBA_ROOT"
# exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hook stops every part in order.
exec java "${GEMBA_JAVA_OPTS[@]}" -jar deploy/target/gemba-deploy.jar "${park[@]}" "${args[@]}"
