#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), one after the other,
# from corpora seeded by seed.py; prints each target's executions and fails
# on the first crash (its input is kept in fuzz/artifacts/TARGET/).
#
#   fuzz/run.sh            # 30 s per target
#   fuzz/run.sh 600 html   # 10 minutes, one target
#
# FUZZ_SEED=N fixes libFuzzer's random seed, so that runs from the same
# corpus try the same inputs in the same order, as many as the time allows.
# CI does (its corpus is seeded fresh each run), so that its few minutes
# mostly check the change rather than explore; a crash is replayed from its
# input in fuzz/artifacts/. Unset (or 0), each run explores anew.
#
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")"
unset CARGO_TARGET_DIR # the fuzz crate builds in fuzz/target
seconds=${1:-30}
seed=${FUZZ_SEED:-0} # 0: libFuzzer picks one
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plain html markdown docx decode config rules baseline suppress stream)
python3 seed.py
cargo +nightly fuzz build -O
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  log=$(mktemp)
  if ! cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -seed="$seed" -timeout=20 \
      -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $t found a crash (input in fuzz/artifacts/$t/)"
    exit 1
  fi
  runs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz: $t: ${seconds}s, $runs executions, no crash"
  rm -f "$log"
done
