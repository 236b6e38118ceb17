#!/usr/bin/env bash
# Before/after for the kernel advice: JMH forks of AdviceCostBenchmark.<method> (default matmul) without
# an agent and with each agent jar given, alternating (none A B none A B ...), ROUNDS rounds (default 3).
# Prints mean and best iteration (ns/op) per fork, then each agent's added ns over the no-agent fork of
# its round. Run from the repository root after ./mvnw -q -DskipTests package.
#   benchmarks/advice-ab.sh OLD/bitnet-agent.jar agent/target/bitnet-agent.jar
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: [ROUNDS=n] [METHOD=matmul] $0 AGENT.jar [AGENT2.jar ...]" >&2
  exit 2
fi
for jar in "$@"; do
  [ -f "$jar" ] || { echo "no such agent jar: $jar" >&2; exit 2; }
done
QUIET="-Dotel.traces.exporter=none -Dotel.logs.exporter=none -Dbitnet.management.enabled=false -Dotel.exporter.prometheus.port=0"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq 1 "${ROUNDS:-3}"); do
  i=0
  for jar in none "$@"; do
    if [ "$jar" = none ]; then args="-Dbitnet.bench.agent=none"; else args="-javaagent:$(realpath "$jar") $QUIET"; fi
    java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main "AdviceCostBenchmark.${METHOD:-matmul}\$" \
      -f 1 -wi 5 -i 8 -w 1s -r 1s -jvmArgsAppend "$args" -rf json -rff "$out/$round-$i.json" > "$out/$round-$i.log" 2>&1 \
      || { cat "$out/$round-$i.log"; exit 1; }
    python3 - "$out/$round-$i.json" "$out/$round-0.json" "$round" "$jar" <<'PY'
import json, sys
def score(path):
    m = json.load(open(path))[0]["primaryMetric"]
    return m["score"], min(m["rawData"][0])
mean, best = score(sys.argv[1])
line = "round %s  %-40s mean %6.0f  best %6.0f" % (sys.argv[3], sys.argv[4], mean, best)
if sys.argv[1] != sys.argv[2]:
    base_mean, base_best = score(sys.argv[2])
    line += "  added: mean %+4.0f  best %+4.0f" % (mean - base_mean, best - base_best)
print(line, flush=True)
PY
    i=$((i + 1))
  done
done
