#!/usr/bin/env bash
# The same workload in this project's engine and in SimPy, side by side: `load-balancer` with its
# defaults (round robin, 4 servers, 300 requests/s Poisson, exponential 10 ms service, health checks)
# for 1 M requests. Prints requests/s for each (wall clock of the whole process, best of RUNS), its
# CPU time (steadier on a busy machine) and the ratios; the latency columns show that both modelled
# the same system. Numbers, not pass/fail.
#   bash scripts/vs_simpy.sh [requests]      (needs python3 and SimPy: pip install simpy)
#   RUNS=5 bash scripts/vs_simpy.sh          (default: best of 3)
# SimPy's side is scripts/simpy_lb.py; its header says what differs between the two models.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-1000000}"
python3 -c "import simpy" 2>/dev/null || {
  echo "vs_simpy.sh: SimPy is not installed: pip install simpy" >&2
  exit 2
}
cargo build -q --release --bin sandbox
SANDBOX="${CARGO_TARGET_DIR:-target}/release/sandbox"

python3 - "$SANDBOX" "$N" "${RUNS:-3}" <<'PY'
import json, resource, subprocess, sys, time

sandbox, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
commands = {
    "sandbox": [sandbox, "run", "load-balancer", f"requests={n}", "--json", "--quiet"],
    "simpy": [sys.executable, "scripts/simpy_lb.py", "--requests", str(n)],
}
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

best, best_cpu, out = {}, {}, {}
for _ in range(runs):  # interleaved, so a busy moment hurts both sides alike
    for name, cmd in commands.items():
        t, c = time.perf_counter(), cpu()
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        wall, used = time.perf_counter() - t, cpu() - c
        best_cpu[name] = min(best_cpu.get(name, float("inf")), used)
        if wall < best.get(name, float("inf")):
            best[name], out[name] = wall, json.loads(p.stdout)

simpy_version = out["simpy"].get("simpy", "?")
print(f"load-balancer, default parameters, {n:,} requests; best of {runs}, whole process, wall clock")
print(f"{'':<22}{'seconds':>9}{'requests/s':>13}{'CPU s':>9}{'mean ms':>9}{'p99 ms':>9}")
for name, label in (("sandbox", "sandbox (release)"), ("simpy", f"SimPy {simpy_version}")):
    m = out[name]["metrics"]
    print(f"{label:<22}{best[name]:>9.3f}{n / best[name]:>13,.0f}{best_cpu[name]:>9.3f}"
          f"{m['latency_mean_ms']:>9.2f}{m['latency_p99_ms']:>9.2f}")
print(f"ratio: {best['simpy'] / best['sandbox']:.1f}x SimPy's requests/s (goal: at least 50x); "
      f"CPU time ratio {best_cpu['simpy'] / best_cpu['sandbox']:.1f}x")
PY
