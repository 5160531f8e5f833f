#!/usr/bin/env bash
# Times ColdStart as a whole process, this driver vs plain pgjdbc, against the fixture's PostgreSQL, and counts the
# classes each loads. Run from the repository root after `mvn -B -ntp -q install -DskipTests`.
# Usage: benchmarks/cold-start.sh [runs]   (default 20 runs per command; needs hyperfine and jq)
set -euo pipefail

runs=${1:-20}
work=$(mktemp -d)
servers_pid=
cleanup() {
  if [ -n "$servers_pid" ]; then kill "$servers_pid" && wait "$servers_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

shaded=benchmarks/target/benchmarks.jar
classes=benchmarks/target/classes
# What each kind of application has on its class path: pgjdbc alone, or this driver with its runtime dependencies
# (without the optional org.crac, which only SnapStart/CRaC users add).
mvn -B -ntp -q -o dependency:build-classpath -pl driver -DincludeScope=runtime -DexcludeArtifactIds=crac \
  -Dmdep.outputFile="$work/driver.classpath"
pgjdbc_jar=$(tr ':' '\n' < "$work/driver.classpath" | grep '/postgresql-[0-9.]*\.jar$')
driver_cp="$classes:driver/target/$(cd driver/target && ls serverless-pg-driver-*.jar | grep -v sources | head -1):$(cat "$work/driver.classpath")"
pgjdbc_cp="$classes:$pgjdbc_jar"

java -cp "$shaded" io.github.serverlesspg.benchmarks.coldstart.ColdStartServers "$work/servers.env" \
  > "$work/servers.log" 2>&1 &
servers_pid=$!
for _ in $(seq 1 120); do [ -f "$work/servers.env" ] && break; sleep 0.5; done
[ -f "$work/servers.env" ] || { cat "$work/servers.log"; exit 1; }
set -a; . "$work/servers.env"; set +a

main=io.github.serverlesspg.benchmarks.coldstart.ColdStart
echo "== class path sizes: pgjdbc $(tr ':' '\n' <<< "$pgjdbc_cp" | wc -l) entries, serverless-pg $(tr ':' '\n' <<< "$driver_cp" | wc -l) entries"
hyperfine --shell=none --warmup 3 --runs "$runs" --export-json "$work/hyperfine.json" \
  -n "pgjdbc (pgjdbc class path)" "java -cp $pgjdbc_cp $main pgjdbc $PGADDRESS" \
  -n "serverless-pg (driver class path)" "java -cp $driver_cp $main serverless-pg $PGADDRESS" \
  -n "pgjdbc (benchmarks.jar)" "java -cp $shaded $main pgjdbc $PGADDRESS" \
  -n "serverless-pg (benchmarks.jar)" "java -cp $shaded $main serverless-pg $PGADDRESS"
echo "== medians of $runs runs (hyperfine names each command by its -n)"
jq -r '.results[] | "\(.command)\t\(.median * 1000 | round) ms median\t(mean \(.mean * 1000 | round) ± \(.stddev * 1000 | round), min \(.min * 1000 | round))"' \
  "$work/hyperfine.json"
jq -r '.results | "ratio serverless-pg / pgjdbc, own class paths: \(.[1].median / .[0].median * 100 | round / 100); benchmarks.jar: \(.[3].median / .[2].median * 100 | round / 100)"' \
  "$work/hyperfine.json"

echo "== serverless-pg cold path, step by step (median of $runs fresh JVMs, µs)"
for _ in $(seq 1 "$runs"); do
  java -cp "$driver_cp" io.github.serverlesspg.benchmarks.coldstart.ColdPathCosts "$PGADDRESS" 2>/dev/null
done | jq -R -s -r 'split("\n") | map(select(length > 0) | split("\t")) | group_by(.[0])
  | map({step: .[0][0], median: (map(.[1] | tonumber) | sort | .[length / 2 | floor])})
  | .[] | "\(.median)\t\(.step)"'

echo "== classes loaded (-Xlog:class+load), by source"
for variant in "pgjdbc $pgjdbc_cp" "serverless-pg $driver_cp"; do
  set -- $variant
  java -Xlog:class+load:file="$work/$1.classes" -cp "$2" $main "$1" "$PGADDRESS"
  echo "-- $1: $(grep -c 'source:' "$work/$1.classes") classes"
  sed -n 's/.* \([^ ]*\) source: \(.*\)/\2/p' "$work/$1.classes" | sed 's#.*/##' | sort | uniq -c | sort -rn | head -12
done
echo "-- loaded only with serverless-pg, by package"
diff <(sed -n 's/.* \([^ ]*\) source: .*/\1/p' "$work/pgjdbc.classes" | sort) \
     <(sed -n 's/.* \([^ ]*\) source: .*/\1/p' "$work/serverless-pg.classes" | sort) \
  | sed -n 's/^> //p' | sed 's/\.[^.]*$//' | sort | uniq -c | sort -rn | head -25
