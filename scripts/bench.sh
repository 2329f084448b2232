#!/usr/bin/env bash
# Times iryolint against ripgrep (and textlint + prh when it is installed)
# in one run, on the shared benchmark corpus, and prints the ratios
# (BENCHMARKS.md).
#
#   scripts/bench.sh                 # all cases: site big small empty
#   scripts/bench.sh small empty     # some cases
#   BIN=path/to/iryolint scripts/bench.sh   # another build (no cargo build)
#
# Needs ../shared/bench (corpus generator, patterns.txt), ../shared/eval/dev
# (seed pages; SHARED=path overrides ../shared), hyperfine, ripgrep and GNU
# time:
#   apt-get install -y hyperfine ripgrep time
# textlint is used when ../shared/bench/node_modules holds it (`npm ci`
# there); it takes about a minute per run on the site, so it runs once there.
#
# The corpus is generated into target/bench/corpus. Times are hyperfine
# means of wall-clock time and of CPU time (user + system): on a shared
# machine CPU time is the steadier figure. Peak RSS is the median of three
# GNU time runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# ../shared from the main checkout; ../../shared from a worktree under wt/
root=${SHARED:-}
for candidate in ../shared ../../shared; do
  [ -n "$root" ] || { [ -f "$candidate/bench/patterns.txt" ] && root=$candidate; }
done
[ -n "$root" ] || { echo "../shared/bench not found (set SHARED=path/to/shared)" >&2; exit 1; }
shared=$root/bench
out=target/bench
patterns=$shared/patterns.txt
textlint=$shared/node_modules/.bin/textlint
mkdir -p "$out"
[ -f "$out/corpus/MANIFEST.txt" ] ||
  python3 "$shared/make_corpus.py" --seeds "$root/eval/dev" --out "$out/corpus" >/dev/null
: >"$out/empty.txt"
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN=$PWD/target/release/iryolint
fi
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(site big small empty)

echo "date: $(date -u +%Y-%m-%dT%H:%MZ); cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); iryolint: $BIN ($("$BIN" --version))"
echo "corpus: $(grep -E '^(site|big|small):' "$out/corpus/MANIFEST.txt" | tr '\n' ';')"

# peak RSS in MiB, median of three runs
rss() {
  # (exit codes 1, "matches" or "findings", are expected)
  for _ in 1 2 3; do env time -f '%M' "$@" 2>&1 >/dev/null | tail -1 || true; done |
    sort -n | sed -n 2p | awk '{printf "%.0f", $1/1024}'
}

for c in "${cases[@]}"; do
  case $c in
    site) target=$out/corpus/site; runs=5; big=(--max-findings 0) ;;
    big) target=$out/corpus/big/big.txt; runs=5; big=(--max-findings 0 --max-file-size 1G) ;;
    small) target=$out/corpus/small/page.html; runs=40; big=() ;;
    empty) target=$out/empty.txt; runs=40; big=() ;;
    *) echo "unknown case $c (site, big, small, empty)" >&2; exit 2 ;;
  esac
  cmds=("rg -c -F -f $patterns $target" "$BIN check --format json ${big[*]} $target")
  if [ -x "$textlint" ] && [ "$c" != big ]; then
    cmds+=("$textlint -c $shared/textlint/prh.textlintrc.json -f compact $target")
  fi
  tl_runs=$runs; [ "$c" = site ] && tl_runs=1
  json=$out/$c.json
  rm -f "$out/$c.textlint.json"
  # textlint (when there) gets its own hyperfine call: fewer runs on the site
  rg -q -F -f "$patterns" "$target" || [ $? -eq 1 ] || { echo "ripgrep failed on $target" >&2; exit 1; }
  hyperfine -N -i --output=pipe --warmup 2 --runs "$runs" --export-json "$json" "${cmds[@]:0:2}" >/dev/null 2>&1
  if [ ${#cmds[@]} -gt 2 ]; then
    hyperfine -N -i --output=pipe --warmup 0 --runs "$tl_runs" --export-json "$out/$c.textlint.json" "${cmds[2]}" >/dev/null 2>&1
  fi
  rss_rg=$(rss rg -c -F -f "$patterns" "$target")
  rss_iryo=$(rss "$BIN" check --format json "${big[@]}" "$target")
  python3 - "$c" "$json" "$out/$c.textlint.json" "$rss_rg" "$rss_iryo" <<'EOF'
import json, os, sys
case, path, tl_path, rss_rg, rss_iryo = sys.argv[1:]
results = json.load(open(path))["results"]
if os.path.exists(tl_path):
    results += json.load(open(tl_path))["results"]
def fmt(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
rg = results[0]
rg_cpu = rg["user"] + rg["system"]
print(f"== {case}")
for r, name, rss in zip(results, ["ripgrep", "iryolint", "textlint+prh"], [rss_rg, rss_iryo, None]):
    cpu = r["user"] + r["system"]
    line = f"  {name:13} wall {fmt(r['mean']):>9} (median {fmt(r['median'])})  cpu {fmt(cpu):>9}"
    if name != "ripgrep":
        line += f"  = {r['mean'] / rg['mean']:.1f}x ripgrep wall, {cpu / rg_cpu:.1f}x cpu"
    if rss:
        line += f"  peak RSS {rss} MiB"
    print(line)
EOF
done
