#!/usr/bin/env bash
# Where a loaded sample server's CPU goes, thread by thread: starts the server (small model, batches
# of 1, as OverheadHarness does) in one configuration, runs WARMUP requests, then MEASURED ones (96)
# with the load generator (4 clients, streamed, 32 tokens), and prints the CPU each group of threads
# used over the measured requests
# (/proc/PID/task/*/schedstat, ns). With bitnet-agent, /metrics and /health/ready are polled once a
# second from the warm-up on, as OverheadHarness does.
#   CONFIG: a (no agent), b (upstream agent, exporters off), c (bitnet-agent, defaults)
# SERVER_OPTS adds JVM options to the server only, e.g. a profiler or a flight recording.
# Run from the repository root after ./mvnw -q -DskipTests package:
#   bash benchmarks/thread-cpu.sh c 256
#   bash benchmarks/thread-cpu.sh c 6000 1536     (a server about three minutes old, a 47 s window)
#   SERVER_OPTS="-XX:StartFlightRecording=filename=/tmp/c.jfr,dumponexit=true" bash benchmarks/thread-cpu.sh c 2000
set -euo pipefail
config=${1:?usage: thread-cpu.sh a|b|c [warm-up requests] [measured requests]}
warmup=${2:-256}
measured=${3:-96}
APP=sample-inference-app/target/sample-inference-app.jar
source "$(dirname "$0")/sample-server.sh"
prom=$(free_port)
mgmt=$(free_port)
case "$config" in
  a) agent=() ;;
  b) agent=(-javaagent:agent/target/upstream/opentelemetry-javaagent.jar -Dotel.metrics.exporter=none) ;;
  c) agent=(-javaagent:agent/target/bitnet-agent.jar) ;;
  *) echo "unknown configuration $config (a, b or c)" >&2; exit 2 ;;
esac
log=$(mktemp)
before=$(mktemp)
after=$(mktemp)
poller=
pid=
cleanup() {
  [ -n "$poller" ] && kill "$poller" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -f "$log" "$before" "$after"
}
trap cleanup EXIT
# shellcheck disable=SC2086 # SERVER_OPTS is a list of options
java ${SERVER_OPTS:-} "${agent[@]}" -Dotel.traces.exporter=none -Dotel.logs.exporter=none -Dotel.exporter.prometheus.port="$prom" \
  -Dbitnet.management.port="$mgmt" -jar "$APP" serve --model small --max-batch 1 --port 0 > "$log" 2>&1 &
pid=$!
wait_ready "$log" "$pid"
url=$(server_url "$log")
if [ "$config" = c ]; then
  (while true; do
    curl -fs -o /dev/null "http://127.0.0.1:$prom/metrics"
    curl -fs -o /dev/null "http://127.0.0.1:$mgmt/health/ready"
    sleep 1
  done) &
  poller=$!
fi
load() { java -jar "$APP" loadgen --url "$url" --model small --stream true --concurrency 4 --requests "$1" --max-tokens 32; }
echo "warm-up: $warmup requests" >&2
load "$warmup" > /dev/null
snapshot() {
  for t in /proc/"$pid"/task/*; do
    echo "$(basename "$t") $(tr ' ' _ < "$t/comm") $(cut -d' ' -f1 "$t/schedstat")"
  done | sort
}
start_ms=$(date +%s%3N)
snapshot > "$before"
load "$measured" | grep throughput
snapshot > "$after"
echo "measured window: $start_ms to $(date +%s%3N) (ms since the epoch, for matching profiles or recordings)" >&2
# threads alive at the end; one started in the window counts from zero
join -a 2 -e 0 -o 2.2,1.3,2.3 "$before" "$after" | awk '
  { name = $1
    if (name ~ /^http-[0-9]+$/) name = "http-* (the server'"'"'s request threads)"
    else if (name ~ /CompilerThre/) name = "JIT compiler"
    else if (name ~ /^GC_|^G1_/) name = "GC"
    ms = ($3 - $2) / 1e6; sum[name] += ms; total += ms }
  END { for (n in sum) if (sum[n] >= 1) printf "%9.1f ms  %s\n", sum[n], n; printf "%9.1f ms  all threads alive at the end\n", total }' \
  | sort -rn
