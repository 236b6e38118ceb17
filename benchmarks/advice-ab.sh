#!/usr/bin/env bash
# Before/after for the kernel advice: JMH forks of AdviceCostBenchmark.<method> (default matmul) without
# an agent and with each agent jar given, alternating (none A B none A B ...), ROUNDS rounds (default 3).
# Prints mean and best iteration (ns/op) per fork, then each agent's added ns over the no-agent fork of
# its round. MODE=sample samples single calls instead and prints their median and 90th percentile: for
# generate, whose hand-off to a worker thread makes the iteration means move more than the advice costs.
# Ends with the median over the rounds of each agent's added ns. Run from the repository root after
# ./mvnw -q -DskipTests package.
#   benchmarks/advice-ab.sh OLD/bitnet-agent.jar agent/target/bitnet-agent.jar
#   ROUNDS=8 MODE=sample METHOD=generate benchmarks/advice-ab.sh agent/target/bitnet-agent.jar
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: [ROUNDS=n] [METHOD=matmul] [MODE=avgt|sample] $0 AGENT.jar [AGENT2.jar ...]" >&2
  exit 2
fi
for jar in "$@"; do
  [ -f "$jar" ] || { echo "no such agent jar: $jar" >&2; exit 2; }
done
MODE=${MODE:-avgt}
case "$MODE" in avgt|sample) ;; *) echo "MODE must be avgt or sample, not $MODE" >&2; exit 2 ;; esac
QUIET="-Dotel.traces.exporter=none -Dotel.logs.exporter=none -Dbitnet.management.enabled=false -Dotel.exporter.prometheus.port=0"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq 1 "${ROUNDS:-3}"); do
  i=0
  for jar in none "$@"; do
    if [ "$jar" = none ]; then args="-Dbitnet.bench.agent=none"; else args="-javaagent:$(realpath "$jar") $QUIET"; fi
    java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main "AdviceCostBenchmark.${METHOD:-matmul}\$" \
      -bm "$MODE" -tu ns -f 1 -wi 5 -i 8 -w 1s -r 1s -jvmArgsAppend "$args" -rf json -rff "$out/$round-$i.json" \
      > "$out/$round-$i.log" 2>&1 || { cat "$out/$round-$i.log"; exit 1; }
    python3 - "$out/$round-$i.json" "$out/$round-0.json" "$round" "$jar" "$MODE" <<'PY' | tee -a "$out/lines"
import json, sys
def score(path):
    m = json.load(open(path))[0]["primaryMetric"]
    if sys.argv[5] == "sample":
        return m["scorePercentiles"]["50.0"], m["scorePercentiles"]["90.0"]
    return m["score"], min(m["rawData"][0])
names = ("median", "p90") if sys.argv[5] == "sample" else ("mean", "best")
a, b = score(sys.argv[1])
line = "round %s  %-40s %s %6.0f  %s %6.0f" % (sys.argv[3], sys.argv[4], names[0], a, names[1], b)
if sys.argv[1] != sys.argv[2]:
    base_a, base_b = score(sys.argv[2])
    line += "  added: %s %+4.0f  %s %+4.0f" % (names[0], a - base_a, names[1], b - base_b)
print(line, flush=True)
PY
    i=$((i + 1))
  done
done
echo "median over the rounds of the added ns:"
python3 - "$out/lines" <<'PY'
import statistics, sys
added = {}
for line in open(sys.argv[1]):
    if "added:" in line:
        f = line.split()
        added.setdefault(f[2], []).append((float(f[-3]), float(f[-1])))
for jar, pairs in added.items():
    print("%s: %+.0f / %+.0f" % (jar, statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)))
PY
