#!/usr/bin/env bash
# Times iryolint against ripgrep on the shared benchmark corpus (see BENCHMARKS.md).
#
#   scripts/bench.sh            # all cases: site big small
#   scripts/bench.sh small      # one case
#
# Needs ../shared/bench (the corpus generator and patterns.txt), hyperfine,
# ripgrep and GNU time (apt-get install hyperfine ripgrep time). The corpus
# is generated into target/bench/corpus from the two seed pages.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/bench
out=target/bench
mkdir -p "$out/seeds"
cp ../shared/eval/dev/exosome-*.txt "$out/seeds/"
[ -d "$out/corpus/site" ] || python3 "$shared/make_corpus.py" --seeds "$out/seeds" --out "$out/corpus" >/dev/null
cargo build --release -q
bin=$PWD/target/release/iryolint
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(site big small)
echo "corpus: $(sed -n 4,6p "$out/corpus/MANIFEST.txt" | tr '\n' ';')"
for c in "${cases[@]}"; do
  case $c in
    site) target=$out/corpus/site; runs=10 ;;
    big) target=$out/corpus/big/big.txt; runs=10 ;;
    small) target=$out/corpus/small/page.html; runs=30 ;;
  esac
  echo "== $c"
  hyperfine -N --output=pipe --warmup 2 --runs "$runs" -i \
    "rg -c -F -f $shared/patterns.txt $target" \
    "$bin check --format json $target" 2>&1 | grep -E "Benchmark|Time"
  for i in 1 2 3; do env time -f '%M' "$bin" check --format json "$target" 2>&1 >/dev/null | tail -1; done \
    | sort -n | sed -n 2p | awk '{printf "iryolint peak RSS (median of 3): %.1f MiB\n", $1/1024}'
done
