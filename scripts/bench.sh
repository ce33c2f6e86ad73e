#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): engine throughput natively, and the size of the built site.
#   ./dev.sh bench      (or: bash scripts/bench.sh after ./dev.sh setup)
set -euo pipefail
cd "$(dirname "$0")/.."

# The README's `cargo run --release` binary: the release profile is the speed one (opt-level 3).
export SANDBOX="${CARGO_TARGET_DIR:-target}/release/sandbox"
echo "== engine throughput (native, profile release: opt-level 3)"
cargo build -q --release --bin sandbox
for n in 1000000 5000000; do
  "$SANDBOX" run topology requests=$n rate=100000 --seed 1 --json 2>&1 >/dev/null | sed "s/^/topology requests=$n: /"
done
# The issue's first system design (preset balancer-three-servers), about 10 M events, best of 3.
for i in 1 2 3; do
  "$SANDBOX" run system preset=balancer-three-servers duration_ms=3600000 --json 2>&1 >/dev/null | sed "s/^/system balancer-three-servers: /"
done

echo
echo "== peak memory of a 10-million-event run (bounded trace and stats)"
python3 - <<'PY'
import os, resource, subprocess
subprocess.run([os.environ["SANDBOX"], "run", "topology", "requests=2500000", "rate=100000", "--quiet"], stdout=subprocess.DEVNULL, check=True)
print(f"topology requests=2500000 (about 10 M events): peak RSS {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MiB")
PY

echo
echo "== the same workload in SimPy (1 M requests through the load balancer)"
if python3 -c "import simpy" 2>/dev/null; then
  bash scripts/vs_simpy.sh
else
  echo "(skipped: pip install simpy, then bash scripts/vs_simpy.sh)"
fi

echo
echo "== checker"
cargo run -q --release --example checker_bench 2>/dev/null || echo "(checker benchmark not built yet)"

echo
echo "== site size (dist/, release build)"
trunk build --release --offline >/dev/null 2>&1
python3 - <<'PY'
import gzip, os
try:
    import brotli
except ImportError:
    brotli = None
total = [0, 0, 0]
print(f"{'file':<22}{'raw':>10}{'gzip -9':>10}{'brotli':>10}")
for name in sorted(os.listdir('dist')):
    p = os.path.join('dist', name)
    if not os.path.isfile(p) or name in ('embed.js', '_headers'):
        continue  # not part of the site's first load
    data = open(p, 'rb').read()
    gz = len(gzip.compress(data, 9))
    br = len(brotli.compress(data, quality=11)) if brotli else 0
    total = [total[0] + len(data), total[1] + gz, total[2] + br]
    print(f"{name:<22}{len(data):>10}{gz:>10}{(br if brotli else '-'):>10}")
print(f"{'total':<22}{total[0]:>10}{total[1]:>10}{(total[2] if brotli else '-'):>10}")
if not brotli:
    print("(brotli column: pip install brotli)")
PY

echo
echo "== in the browser"
node scripts/perf.mjs

echo
echo "== lesson pages on a slow link (1.6 Mbit/s, 150 ms), and each widget's share of the wasm"
node scripts/pages-bench.mjs
node scripts/wasm-cost.mjs
node scripts/wasm-top.mjs

echo
echo "== soak: every scenario for about 10 million events, peak memory of each run"
for run in "topology requests=2500000 rate=100000" "replication ops=700000" "sharding requests=3000000" \
           "cache requests=1500000" "load-balancer requests=1700000" "saga orders=700000" \
           "system preset=balancer-three-servers duration_ms=3600000" "system preset=redundancy duration_ms=2000000"; do
  set -- $run
  "$SANDBOX" list --json | grep -q "\"scenario\": \"$1\"" || continue
  python3 - "$@" <<'PY'
import json, os, resource, subprocess, sys
p = subprocess.run([os.environ["SANDBOX"], "run", *sys.argv[1:], "--json"], capture_output=True, text=True)
if p.returncode != 0:
    print(f"{sys.argv[1]}: failed: {p.stderr.strip()}")
else:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = p.stderr.strip().split("(")[-1].rstrip(")")
    print(f"{' '.join(sys.argv[1:]):<40} {json.loads(p.stdout)['events'] / 1e6:6.1f} M events, {rate}, peak RSS {rss:.1f} MiB")
PY
done
