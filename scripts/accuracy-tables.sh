#!/usr/bin/env bash
# Prints the per-category tables of ACCURACY.md for every labeled set.
# Untouched holdouts are scored without -v: look at their figures, never at
# their pages.   usage: scripts/accuracy-tables.sh [path/to/iryolint]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/iryolint}"
sets=(../shared/eval/dev fixtures/labeled fixtures/web fixtures/holdout fixtures/holdout2 fixtures/holdout3 fixtures/holdout4 fixtures/holdout5 fixtures/holdout6 fixtures/holdout7 fixtures/holdout8 fixtures/holdout9)
for dir in "${sets[@]}"; do
  [ -d "$dir" ] || continue
  n=$(ls "$dir"/*.txt | wc -l)
  echo "### $dir ($n pages)"
  echo
  "$bin" eval "$dir" | awk '
    NR == 1 { print "| category | labels | found | recall | flags | right | precision |"; print "|---|---|---|---|---|---|---|"; next }
    /^[a-z-]+ +[0-9]/ { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7; next }
    /^$/ { next }
    { summary = summary $0 "\n" }
    END { printf "\n```\n%s```\n\n", summary }'
done
