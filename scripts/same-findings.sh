#!/usr/bin/env bash
# The findings invariant: a speed change must not change a single finding.
#
#   scripts/same-findings.sh save     # record the reference with the current binary
#   scripts/same-findings.sh          # compare the current binary with it, byte for byte
#
# Runs `iryolint check --format json` (no config) over every fixtures/
# folder, ../shared/eval/dev and pages of the benchmark corpus (made by
# scripts/bench.sh into target/bench/corpus), and keeps stdout, stderr and
# the exit code of each run in target/same-findings/{ref,now}. Set
# IRYOLINT_BIN to check another binary, SHARED to another shared folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${IRYOLINT_BIN:-$PWD/target/release/iryolint}
shared=${SHARED:-../shared}
[ -d "$shared" ] || shared=/work/shared
corpus=target/bench/corpus
mode=${1:-check}
case $mode in
  save) dir=target/same-findings/ref ;;
  check) dir=target/same-findings/now ;;
  *) echo "usage: $0 [save|check]" >&2; exit 2 ;;
esac
rm -rf "$dir"
mkdir -p "$dir"

run() { # name, then the paths to check
  local name=$1
  shift
  set +e
  "$bin" check --no-config --format json "$@" >"$dir/$name.json" 2>"$dir/$name.err"
  echo $? >"$dir/$name.code"
  set -e
}

for f in fixtures/*/; do
  run "fixtures-$(basename "$f")" "$f"
done
[ -d "$shared/eval/dev" ] && run eval-dev "$shared/eval/dev"
if [ -d "$corpus/site" ]; then
  run bench-clinic-00 "$corpus/site/clinic-00"
  run bench-clinic-13 "$corpus/site/clinic-13"
  run bench-small "$corpus/small/page.html"
  run bench-big "$corpus/big/big.txt"
  [ -f "$corpus/big/big.html" ] && run bench-big-html "$corpus/big/big.html"
else
  echo "note: no benchmark corpus in $corpus (run scripts/bench.sh small once)" >&2
fi

if [ "$mode" = save ]; then
  echo "reference saved: $(ls "$dir"/*.json | wc -l) runs, $(cat "$dir"/*.json | grep -o '"rule":' | wc -l) findings"
  exit 0
fi
ref=target/same-findings/ref
[ -d "$ref" ] || { echo "no reference: run $0 save with the old binary first" >&2; exit 2; }
if diff -r -q "$ref" "$dir" >/dev/null; then
  echo "same findings: $(ls "$dir"/*.json | wc -l) runs, $(cat "$dir"/*.json | grep -o '"rule":' | wc -l) findings"
else
  diff -r -q "$ref" "$dir" || true
  echo "FINDINGS CHANGED (see diff target/same-findings/ref target/same-findings/now)" >&2
  exit 1
fi
