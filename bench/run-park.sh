#!/usr/bin/env bash
# The whole chain under load on this machine: simulators -> edge agent -> mosquitto -> KPI job ->
# InfluxDB and the API's live stream, each its own process.
#
#   bench/run-park.sh --rate VALUES_PER_S --minutes M [--park deploy/parks/load.yaml] [--warmup S]
#                     [--sampling-ms MS]
#
# --rate is what the simulated machines offer (samples per second: the park at a --speed); an
# OPC UA subscription reports a value only when it changed, at most once per sampling interval
# (default 100 ms, as the simulators' gateway files have it), so fewer reach the platform.
#
# Prints what it measured; its last line is machine-readable:
#   values_per_s=<n> lost=<n> gaps=<n> p50_ms=<n> p99_ms=<n> cpu_s=<component>:<s>,...
# (lost: values the simulated machines exposed, by their own count, minus values stored, over the
# whole minutes of the window; gaps: envelopes missing by the KPI job's sequence numbers)
# (p50/p99: sensor -> live stream). Reference: docs/benchmarks.md#whole-park-load
set -euo pipefail
source "$(dirname "$0")/../deploy/bin/gemba-env"

rate=""
minutes=""
park="${GEMBA_ROOT}/deploy/parks/load.yaml"
warmup=90
sampling=100
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --park) park="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --sampling-ms) sampling="$2"; shift 2 ;;
    *) echo "run-park: unknown option '$1'; usage at the top of $0" >&2; exit 2 ;;
  esac
done
if ! [[ "$rate" =~ ^[0-9]+([.][0-9]+)?$ ]] || ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "run-park: --rate VALUES_PER_S and --minutes M are required, as positive numbers" >&2
  exit 2
fi
gemba_require_tools
gemba_require_packages
gemba_build_if_needed
exec java "${GEMBA_JAVA_OPTS[@]}" \
  -cp "${GEMBA_ROOT}/deploy/target/gemba-deploy.jar:${GEMBA_ROOT}/deploy/target/lib/*" \
  io.gemba.deploy.bench.ParkLoadBench "$park" "$rate" "$minutes" "$warmup" "$sampling"
