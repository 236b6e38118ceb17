#!/usr/bin/env bash
# CPU time of one /metrics scrape and of one /health/ready probe, on a warm sample server (small
# model) with bitnet-agent at its defaults. For each agent jar given (default: the built one), in
# ROUNDS interleaved rounds: start the server, run 64 requests, then WARM scrapes and WARM probes so
# that their code is compiled, then MEASURE scrapes and MEASURE probes with curl, one at a time, with
# no other load. Prints the CPU per scrape and per probe of the serving threads (prometheus-http-*,
# bitnet-management-*) and of the whole process (/proc/PID/task/*/schedstat, ns), one line per server,
# then the medians per jar.
# Run from the repository root after ./mvnw -q -DskipTests package:
#   bash benchmarks/scrape-cpu.sh
#   ROUNDS=3 bash benchmarks/scrape-cpu.sh /tmp/before/bitnet-agent.jar agent/target/bitnet-agent.jar
set -euo pipefail
ROUNDS=${ROUNDS:-1}
WARM=${WARM:-1500}
MEASURE=${MEASURE:-1000}
APP=sample-inference-app/target/sample-inference-app.jar
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=(agent/target/bitnet-agent.jar)
for j in "${jars[@]}" "$APP"; do
  [ -f "$j" ] || { echo "scrape-cpu.sh: $j not found; build first (./mvnw -q -DskipTests package)" >&2; exit 2; }
done
source "$(dirname "$0")/sample-server.sh"
# CPU ns of the threads whose name matches the pattern
cpu() {
  for t in /proc/"$pid"/task/*; do
    if [[ "$(cat "$t/comm" 2>/dev/null)" =~ $1 ]]; then cut -d' ' -f1 "$t/schedstat" 2>/dev/null; fi
  done | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
repeat() { for _ in $(seq "$1"); do curl -fs -o /dev/null "$2"; done; }
log=$(mktemp)
results=$(mktemp)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -f "$log" "$results"
}
trap cleanup EXIT
echo "jar scrape_serving_us scrape_process_us probe_serving_us probe_process_us"
for round in $(seq "$ROUNDS"); do
  for jar in "${jars[@]}"; do
    prom=$(free_port)
    mgmt=$(free_port)
    java -javaagent:"$jar" -Dotel.traces.exporter=none -Dotel.logs.exporter=none \
      -Dotel.exporter.prometheus.port="$prom" -Dbitnet.management.port="$mgmt" \
      -jar "$APP" serve --model small --max-batch 1 --port 0 > "$log" 2>&1 &
    pid=$!
    wait_ready "$log" "$pid"
    url=$(server_url "$log")
    java -jar "$APP" loadgen --url "$url" --model small --stream true --concurrency 4 --requests 64 \
      --max-tokens 32 > /dev/null
    echo "round $round, $jar: warming up" >&2
    repeat "$WARM" "http://127.0.0.1:$prom/metrics"
    repeat "$WARM" "http://127.0.0.1:$mgmt/health/ready"
    s0=$(cpu '^prometheus-http'); a0=$(cpu '.')
    repeat "$MEASURE" "http://127.0.0.1:$prom/metrics"
    s1=$(cpu '^prometheus-http'); a1=$(cpu '.')
    p0=$(cpu '^bitnet-manageme'); b0=$(cpu '.')
    repeat "$MEASURE" "http://127.0.0.1:$mgmt/health/ready"
    p1=$(cpu '^bitnet-manageme'); b1=$(cpu '.')
    line="$jar $(( (s1 - s0) / MEASURE / 1000 )) $(( (a1 - a0) / MEASURE / 1000 )) $(( (p1 - p0) / MEASURE / 1000 )) $(( (b1 - b0) / MEASURE / 1000 ))"
    echo "$line" | tee -a "$results"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
  done
done
echo "medians (µs): jar, scrape serving threads, scrape whole process, probe serving threads, probe whole process"
python3 - "$results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    jar, *values = line.split()
    rows.setdefault(jar, []).append([int(v) for v in values])
for jar, runs in rows.items():
    print(jar, *(statistics.median(column) for column in zip(*runs)))
EOF
