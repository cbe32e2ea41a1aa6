#!/usr/bin/env bash
# Load benchmark, native and in the browser, on GitLab's structure.sql (../shared/corpus/gitlab/,
# read in place, never copied into the repository), then one comparison table.
#
#   scripts/bench.sh               native criterion bench, then the wasm bench in headless Chromium
#   scripts/bench.sh --wasm-only   reuse the last native results in target/criterion
#
#   1. cargo bench -p pglens-core --bench load                       (core/benches/load.rs)
#   2. cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_bench \
#        -- --nocapture                                              (core/tests/wasm_bench.rs)
#   3. the analysis benchmarks, each beside the load of the same input: access matrix and checks on
#      a generated 1,000-table x 5-policy x 5-role snapshot, checks on GitLab's file
#      (core/benches/analysis.rs natively, core/tests/wasm_analysis_bench.rs in Chromium), and the
#      drift of GitLab's file against a copy with 50 scattered edits (core/benches/diff.rs natively,
#      the same wasm_analysis_bench run in Chromium; target: the diff under a quarter of one load)
#
# Environment: PGLENS_WASM_BENCH_ITERS (timed iterations in the browser, default 5),
# WASM_BINDGEN_TEST_TIMEOUT (seconds, default 900 here), CHROMEDRIVER (default: on PATH).
# Installs nothing itself beyond what scripts/setup.sh --no-pg does. A measurement, not a test:
# it fails only if a run fails or produces no figures.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
native=1
for a in "$@"; do
  case "$a" in
    --wasm-only) native=0 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[bench]\033[0m %s\n' "$*" >&2; exit 1; }

corpus="$here/../shared/corpus/gitlab/structure.sql"
[ -f "$corpus" ] || die "$corpus not found: nothing to measure"

"$here/scripts/setup.sh" --no-pg
export PATH="${PGLENS_TOOLS:-$HOME/.cache/pglens-tools}/bin:$PATH"
if [ -z "${CHROMEDRIVER:-}" ]; then
  CHROMEDRIVER=$(command -v chromedriver) || die "chromedriver not found (scripts/setup.sh installs it)"
fi
export CHROMEDRIVER
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
criterion_dir="$target_dir/criterion/gitlab_structure_sql"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/stamp"

# --- 1. native ---------------------------------------------------------------------------------
if [ "$native" = 1 ]; then
  say "native: cargo bench -p pglens-core --bench load"
  cargo bench -p pglens-core --bench load
  # The bench prints a notice and measures nothing when the corpus is missing: never report
  # an older run's figures as this one's.
  [ "$criterion_dir/pglens_load_files/new/estimates.json" -nt "$work/stamp" ] \
    || die "the native bench wrote no new results in $criterion_dir"
fi
[ -f "$criterion_dir/pglens_load_files/new/estimates.json" ] \
  || die "no native results in $criterion_dir: run without --wasm-only"

# --- 2. browser ----------------------------------------------------------------------------------
say "browser: cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_bench -- --nocapture"
# cargo runs wasm-bindgen-test-runner from core/, where it reads core/webdriver.json.
cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_bench -- --nocapture \
  | tee "$work/wasm.log"
grep -q '^pglens-wasm-bench ' "$work/wasm.log" || die "the browser bench printed no figures"

# --- 3. analysis (access matrix, checks) ----------------------------------------------------------
if [ "$native" = 1 ]; then
  say "native: cargo bench -p pglens-core --bench analysis"
  cargo bench -p pglens-core --bench analysis
  say "native: cargo bench -p pglens-core --bench diff"
  cargo bench -p pglens-core --bench diff
fi
say "browser: cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_analysis_bench -- --nocapture"
cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_analysis_bench -- --nocapture \
  | tee "$work/wasm-analysis.log"
grep -q '^pglens-wasm-analysis ' "$work/wasm-analysis.log" || die "the browser analysis bench printed no figures"

# --- 4. summary ----------------------------------------------------------------------------------
python3 - "$criterion_dir" "$work/wasm.log" "$target_dir/criterion" "$work/wasm-analysis.log" <<'EOF'
import json, statistics, sys
from pathlib import Path

crit, log = Path(sys.argv[1]), Path(sys.argv[2])

def native(name):
    """(min, median) of criterion's per-iteration sample times, in ms."""
    sample = json.loads((crit / name / "new" / "sample.json").read_text())
    per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
    est = json.loads((crit / name / "new" / "estimates.json").read_text())
    return min(per_iter) / 1e6, est["median"]["point_estimate"] / 1e6, len(per_iter)

w = {}
for line in log.read_text().splitlines():
    if line.startswith("pglens-wasm-bench "):
        k, v = line.split(" ", 1)[1].split("=", 1)
        w[k] = float(v)

base_min, base_med, n_native = native("baseline_pg_query_parse_each_statement")
rows = [
    ("native  pg_query::parse each stmt (baseline)", base_min, base_med),
    ("native  parse_sql each stmt", *native("pglens_parse_each_statement")[:2]),
    ("native  load_files (whole load)", *native("pglens_load_files")[:2]),
    ("wasm    parse_sql each stmt", w["parse_min_ms"], w["parse_median_ms"]),
    ("wasm    pg_query::parse each stmt", w["pg_query_parse_min_ms"], w["pg_query_parse_median_ms"]),
    ("wasm    load_files (whole load)", w["load_min_ms"], w["load_median_ms"]),
]
mib = 1024 * 1024
inp = w["input_bytes"]
print()
print(f"pglens load benchmark: gitlab/structure.sql, {inp / mib:.2f} MiB, {int(w['statements'])} statements")
print(f"native: criterion, {n_native} samples; wasm: headless Chromium, {int(w['iterations'])} iterations after a warm-up")
print()
print(f"{'':<46}{'min ms':>10}{'median ms':>11}{'median / baseline':>19}")
for name, mn, md in rows:
    print(f"{name:<46}{mn:>10.1f}{md:>11.1f}{md / base_med:>18.2f}x")
print()
print(f"wasm    first (cold) load_files: {w['first_load_ms']:.1f} ms")
print(f"wasm    memory: {w['mem_before_load_bytes'] / mib:.1f} MiB before the load "
      f"(embedded input + its copy), {w['mem_peak_bytes'] / mib:.1f} MiB peak after it")
print(f"wasm    peak memory / input size: {w['mem_peak_bytes'] / inp:.2f}x "
      f"(growth during the load / input: {(w['mem_peak_bytes'] - w['mem_before_load_bytes']) / inp:.2f}x)")

# Analysis: each figure against the load of the same input, in the same run.
all_crit = Path(sys.argv[3])
a = {}
for line in Path(sys.argv[4]).read_text().splitlines():
    if line.startswith("pglens-wasm-analysis "):
        k, v = line.split(" ", 1)[1].split("=", 1)
        a[k] = float(v)
def crit_median(group, name):
    p = all_crit / group / name / "new" / "estimates.json"
    return json.loads(p.read_text())["median"]["point_estimate"] / 1e6 if p.exists() else None
print()
print("analysis, median ms and ratio to the load of the same input (target for checks: < 0.33x)")
for label, group, wasm_key, parts in [
    ("policy-heavy 1,000 tables", "policy_heavy_1000_tables", "policy_heavy_1000", [("access_matrix", "matrix"), ("checks_run", "checks")]),
    ("gitlab structure.sql", "gitlab_structure_sql_checks", "gitlab", [("checks_run", "checks")]),
]:
    nl = crit_median(group, "load_files")
    wl = a.get(f"{wasm_key}.load_median_ms")
    for crit_name, wname in parts:
        n = crit_median(group, crit_name)
        wv = a.get(f"{wasm_key}.{wname}_median_ms")
        nat = f"native {n:7.1f} ms = {n / nl:.2f}x load ({nl:.1f})" if n and nl else "native -"
        was = f"wasm {wv:7.1f} ms = {wv / wl:.2f}x load ({wl:.1f})" if wv and wl else "wasm -"
        print(f"  {label:<26}{wname:<8}{nat}   {was}")

# Drift: diff of GitLab's file against its edited copy, beside the load of one file (target < 0.25x).
nl, nd = crit_median("gitlab_structure_sql_drift", "load_files"), crit_median("gitlab_structure_sql_drift", "diff")
wl, wd = a.get("gitlab_drift.load_median_ms"), a.get("gitlab_drift.diff_median_ms")
changes = a.get("gitlab_drift.changes")
print()
print(f"drift, gitlab structure.sql vs 50 scattered edits ({int(changes) if changes else '?'} changes found), target: diff < 0.25x one load")
for side, l, d in [("native", nl, nd), ("wasm", wl, wd)]:
    if l and d:
        print(f"  {side:<7} load {l:8.1f} ms   diff {d:8.1f} ms   diff / load {d / l:.3f}  {'ok' if d / l < 0.25 else 'OVER TARGET'}")
    else:
        print(f"  {side:<7} -")
EOF
