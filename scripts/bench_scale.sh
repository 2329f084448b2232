#!/usr/bin/env bash
# The measurements of SCALE.md: throughput on 1 and 2 cores (command line,
# Python, Spark local mode) and peak memory on long streams.
#
#   scripts/bench_scale.sh            # everything (about 15 minutes on 2 cores)
#   scripts/bench_scale.sh cli python spark heavy stream
#
# Needs a release build, the Python package (pip install .), pyspark and
# Java for `spark`, and /usr/bin/time (Debian package `time`). Cores are
# pinned with taskset; the corpora are generated into target/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IRYOLINT_BIN:-${CARGO_TARGET_DIR:-target}/release/iryolint}
work=${BENCH_DIR:-target/bench}
pages=10000
mkdir -p "$work"
corpus=$work/corpus.jsonl
warc=$work/corpus.warc.gz
[ -f "$corpus" ] || python3 scripts/gen_corpus.py --pages $pages -o "$corpus"
[ -f "$warc" ] || python3 scripts/gen_corpus.py --pages $pages --format warc --gzip -o "$warc"
mb=$(awk -v b="$(stat -c %s "$corpus")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "corpus: $pages pages, $mb MB of JSON Lines; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# timed LABEL PAGES COMMAND...: wall and CPU seconds, pages/s, peak RSS.
timed() {
  local label=$1 n=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || true
  read -r wall user sys rss < <(tail -n 1 "$work/time")
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v mb="$mb" 'BEGIN {
    printf "%-34s wall %6.2f s  cpu %6.2f s  %6.0f pages/s  %5.1f MB/s  %6.0f pages per cpu-s  peak %d MiB\n",
      l, w, u + s, n / w, mb / w, n / (u + s), r / 1024 }'
}

cli() {
  timed "cli jsonl, 1 core" $pages taskset -c 0 "$bin" --no-config check --input-format jsonl --threads 1 "$corpus"
  timed "cli jsonl, 2 cores" $pages taskset -c 0,1 "$bin" --no-config check --input-format jsonl --threads 2 "$corpus"
  timed "cli warc.gz, 1 core" $pages taskset -c 0 "$bin" --no-config check --input-format warc --threads 1 "$warc"
  timed "cli warc.gz, 2 cores" $pages taskset -c 0,1 "$bin" --no-config check --input-format warc --threads 2 "$warc"
}

python() {
  taskset -c 0 python3 scripts/bench_python.py "$corpus" --threads 1
  taskset -c 0,1 python3 scripts/bench_python.py "$corpus" --threads 2
}

spark() {
  taskset -c 0 python3 scripts/bench_spark.py "local[1]" "$corpus" "$PWD/$bin" 2>&1 | grep '^spark'
  taskset -c 0,1 python3 scripts/bench_spark.py "local[2]" "$corpus" "$PWD/$bin" 2>&1 | grep '^spark'
}

heavy() {
  # Pages shaped like real ones: the same copy plus about 40 KB of menus,
  # SVG, scripts and styles each.
  local heavy=$work/heavy.jsonl
  [ -f "$heavy" ] || python3 scripts/gen_corpus.py --pages 2000 --markup-kb 40 -o "$heavy"
  mb=$(awk -v b="$(stat -c %s "$heavy")" 'BEGIN { printf "%.1f", b / 1e6 }')
  timed "cli heavy pages, 1 core" 2000 taskset -c 0 "$bin" --no-config check --input-format jsonl --threads 1 "$heavy"
  taskset -c 0 python3 scripts/bench_python.py "$heavy" --threads 1
  taskset -c 0 python3 scripts/bench_spark.py "local[1]" "$heavy" "$PWD/$bin" 2>&1 | grep '^spark'
}

stream() {
  # Generated on the fly and never stored: peak memory must not grow with
  # the length of the stream.
  for n in 20000 200000 600000; do
    python3 scripts/gen_corpus.py --pages $n --seed stream | tee >(wc -c >"$work/in-bytes") |
      /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --no-config check --input-format jsonl - 2>"$work/stderr" |
      wc -c >"$work/out-bytes" || true
    sleep 1 # let the byte count land
    read -r wall rss < <(tail -n 1 "$work/time")
    echo "stream of $n pages ($(awk '{ printf "%.2f", $1 / 1e9 }' "$work/in-bytes") GB in," \
      "$(awk '{ printf "%.2f", $1 / 1e9 }' "$work/out-bytes") GB out): wall ${wall} s, peak RSS $((rss / 1024)) MiB"
  done
}

for what in "${@:-cli python spark heavy stream}"; do
  for w in $what; do "$w"; done
done
