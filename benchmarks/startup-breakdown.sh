#!/usr/bin/env bash
# Where bitnet-agent's startup goes: seconds from launch to the sample server's "model ready" line
# (tiny model) in several configurations, interleaved, ROUNDS rounds (default 4); prints each
# configuration's runs, sorted, then the process CPU seconds (user + system, all threads) at that line.
# On a machine with few cores the start is CPU-bound (the JIT compiler threads run beside the main
# thread), so the CPU figure shows added work with less noise than the wall-clock one.
# Run from the repository root after ./mvnw -q -DskipTests package.
set -euo pipefail
UP=agent/target/upstream/opentelemetry-javaagent.jar
BN=agent/target/bitnet-agent.jar
APP=sample-inference-app/target/sample-inference-app.jar
source "$(dirname "$0")/sample-server.sh"
OFF="-Dotel.traces.exporter=none -Dotel.logs.exporter=none"
declare -A C=(
  [1-upstream]="-javaagent:$UP $OFF -Dotel.metrics.exporter=none"
  [2-upstream-prometheus]="-javaagent:$UP $OFF -Dotel.metrics.exporter=prometheus"
  [3-bitnet]="-javaagent:$BN $OFF"
  [4-bitnet-no-prometheus]="-javaagent:$BN $OFF -Dotel.metrics.exporter=none"
  [5-bitnet-no-components]="-javaagent:$BN $OFF -Dotel.metrics.exporter=none -Dbitnet.management.enabled=false -Dbitnet.dashboard.enabled=false -Dbitnet.anomaly.enabled=false"
  [6-bitnet-no-instrumentation]="-javaagent:$BN $OFF -Dotel.metrics.exporter=none -Dotel.instrumentation.bitnet.enabled=false"
  [7-bitnet-lean]="-javaagent:$BN $OFF -Dbitnet.lean=true"
  # every exporter at its default (OTLP to an endpoint that is not there: the start does not wait for it)
  [8-upstream-all-defaults]="-javaagent:$UP"
  [9-bitnet-all-defaults]="-javaagent:$BN"
)
log=$(mktemp)
results=$(mktemp)
trap 'rm -f "$log" "$results"' EXIT
hz=$(getconf CLK_TCK)
for round in $(seq 1 "${ROUNDS:-4}"); do
  for k in "${!C[@]}"; do
    : > "$log"
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    java ${C[$k]} -Dotel.exporter.prometheus.port=0 -Dbitnet.management.port=0 -jar "$APP" serve --model tiny --port 0 > "$log" 2>&1 &
    pid=$!
    wait_ready "$log" "$pid" 0.01
    end=$(date +%s%N)
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "$k $(( (end - start) / 1000000 )) $(( ticks * 1000 / hz ))"
  done
done > "$results"
for column in 2 3; do
  [ "$column" = 2 ] && echo "seconds to ready:" || echo "CPU seconds at ready:"
  sort -k1,1 -k${column},${column}n "$results" \
    | awk -v c="$column" '{ runs[$1] = runs[$1] " " $c / 1000 } END { for (k in runs) print "  " k ":" runs[k] }' | sort
done
