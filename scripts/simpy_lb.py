#!/usr/bin/env python3
"""The `load-balancer` scenario's default workload, written in SimPy, for a speed comparison.

    python3 scripts/simpy_lb.py [--requests N] [--seed S]     (needs: pip install simpy)

Prints one JSON object: requests, simulated time, wall time, requests/s and the same headline metrics
as `sandbox run load-balancer requests=N --json`, so the two runs can be checked to model the same
system before their speeds are compared (scripts/vs_simpy.sh runs both).

The model is `sandbox run load-balancer` with every parameter at its default
(src/sim/scenario/load_balancer/):
- 300 requests/s, Poisson arrivals (exponential gaps, rounded to whole microseconds), from 100 client
  addresses drawn uniformly;
- each request carries its work, exponential with mean 10 ms (rounded, at least 1 us), drawn once;
- one load balancer, round robin over 4 servers of speed 1 (a server out of rotation is skipped);
- every hop (client -> balancer -> server -> balancer -> client) takes 0.5 ms (constant links);
- each server serves one request at a time from a FIFO queue, no queue limit;
- health checks: every 500 ms the balancer probes every server (0.5 ms each way); a server that has not
  answered 125 ms later leaves the rotation, one that answers rejoins it. They stop once every request
  has been answered, as in the engine. No server fails by default, so they never change a decision,
  but they are events and both models simulate them;
- bookkeeping: latency of every request (mean, p50, p95, p99), p50/p99 per 1 s window (120 kept),
  requests in progress per server for least-connections-style counts, the longest queue, each
  server's busy time (utilisation) and share, and which clients were sent to more than one server.

What differs (none of it favours the engine):
- The random streams: Python's `random` instead of the engine's xoshiro streams, so the runs agree in
  distribution, not request by request (compare the metrics: same mean and tail within noise).
- Time is integer microseconds in both, but SimPy keeps it in Python ints in a heap of events.
- Latency percentiles are computed exactly here (sorted lists); the engine uses a log-bucketed
  histogram (64 sub-buckets per power of two), so its percentiles are within about 1.6%.
- The engine does more work per event: every message is routed through its network model (next-hop
  table, a loss and a duplication draw per hop, sent/delivered counters), and every send, delivery
  and timer is recorded in a bounded trace and folded into the run's trace digest. SimPy does none
  of that: a hop here is a bare timeout.
- The SimPy code is the idiomatic style (a process per request, a `Resource` per server); a
  callback-only SimPy model would be faster, and is not what SimPy users write.
"""

import argparse
import json
import math
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("simpy_lb.py: SimPy is not installed; pip install simpy")

RATE = 300.0  # requests per second
SERVICE_US = 10_000.0  # mean work at speed 1
SERVERS = 4
CLIENTS = 100
LINK_US = 500  # one-way latency of every link
CHECK_US = 500_000  # health-check interval
CHECK_TIMEOUT_US = max(CHECK_US // 4, 3 * LINK_US)
WINDOW_US = 1_000_000
WINDOWS_KEPT = 120


def quantile(sorted_values, q):
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(q * len(sorted_values)))  # the engine's rank: ceil(q * n)
    return sorted_values[rank - 1]


class Balancer:
    """Round robin over the servers in rotation, and the bookkeeping of one bank."""

    def __init__(self, env, servers):
        self.env = env
        self.servers = [simpy.Resource(env, capacity=1) for _ in range(servers)]
        self.healthy = [True] * servers
        self.outstanding = [0] * servers
        self.held = [0] * servers  # in service + waiting, per server
        self.served = [0] * servers
        self.busy_us = [0] * servers
        self.cursor = 0
        self.max_queue = 0
        self.first_server = [None] * CLIENTS
        self.moved_clients = 0
        self.latencies = []
        self.window = []
        self.window_end = WINDOW_US
        self.history = []
        self.completed = 0
        self.rejected = 0

    def pick(self, client):
        n = len(self.servers)
        for _ in range(n):
            i = self.cursor % n
            self.cursor = (i + 1) % n
            if self.healthy[i]:
                self.outstanding[i] += 1
                first = self.first_server[client]
                if first is None:
                    self.first_server[client] = i
                elif first != i and first != -1:
                    self.first_server[client] = -1
                    self.moved_clients += 1
                return i
        return None

    def record(self, latency, now):
        self.completed += 1
        self.latencies.append(latency)
        if now >= self.window_end:
            if self.window:
                self.window.sort()
                self.history.append((self.window_end, quantile(self.window, 0.5), quantile(self.window, 0.99)))
                del self.history[:-WINDOWS_KEPT]
                self.window = []
            behind = (now - self.window_end) // WINDOW_US
            self.window_end += (behind + 1) * WINDOW_US
        self.window.append(latency)


def request(env, lb, client, work_us):
    sent = env.now
    yield env.timeout(LINK_US)  # client -> balancer
    i = lb.pick(client)
    if i is None:
        lb.rejected += 1
        return
    yield env.timeout(LINK_US)  # balancer -> server
    lb.held[i] += 1
    lb.max_queue = max(lb.max_queue, lb.held[i])
    with lb.servers[i].request() as turn:
        yield turn
        started = env.now
        yield env.timeout(max(1, work_us))  # speed 1
        lb.busy_us[i] += env.now - started
        lb.served[i] += 1
    lb.held[i] -= 1
    yield env.timeout(LINK_US)  # server -> balancer
    lb.outstanding[i] -= 1
    yield env.timeout(LINK_US)  # balancer -> client
    lb.record(env.now - sent, env.now)


def arrivals(env, lb, rng, requests):
    mean_gap = 1e6 / RATE
    for _ in range(requests):
        client = rng.randrange(CLIENTS)
        work = min(max(int(rng.expovariate(1.0 / SERVICE_US) + 0.5), 1), 2**32 - 1)
        env.process(request(env, lb, client, work))
        yield env.timeout(int(rng.expovariate(1.0 / mean_gap) + 0.5))


def probe(env, lb, answered, i):
    yield env.timeout(LINK_US)  # balancer -> server (servers never die in this workload)
    yield env.timeout(LINK_US)  # server -> balancer
    answered[i] = True
    lb.healthy[i] = True


def deadline(env, lb, answered):
    yield env.timeout(CHECK_TIMEOUT_US)
    for i, ok in enumerate(answered):
        if not ok:
            lb.healthy[i] = False
            lb.outstanding[i] = 0


def health_checks(env, lb, requests):
    while True:
        yield env.timeout(CHECK_US)
        answered = [False] * len(lb.servers)
        for i in range(len(lb.servers)):
            env.process(probe(env, lb, answered, i))
        env.process(deadline(env, lb, answered))
        if lb.completed + lb.rejected >= requests:
            return


def run(requests, seed):
    env = simpy.Environment()
    lb = Balancer(env, SERVERS)
    env.process(arrivals(env, lb, random.Random(seed), requests))
    env.process(health_checks(env, lb, requests))
    started = time.perf_counter()
    env.run()
    wall = time.perf_counter() - started
    lats = sorted(lb.latencies)
    ms = lambda us: us / 1000.0
    total_served = sum(lb.served) or 1
    return {
        "model": "simpy",
        "simpy": simpy.__version__,
        "requests": requests,
        "sim_time_ms": ms(env.now),
        "wall_s": round(wall, 3),
        "requests_per_s": round(requests / wall),
        "metrics": {
            "latency_mean_ms": round(ms(sum(lats) / max(1, len(lats))), 3),
            "latency_p50_ms": ms(quantile(lats, 0.5)),
            "latency_p95_ms": ms(quantile(lats, 0.95)),
            "latency_p99_ms": ms(quantile(lats, 0.99)),
            "completed": lb.completed,
            "rejected": lb.rejected,
            "max_queue": lb.max_queue,
            "utilization": round(sum(lb.busy_us) / (env.now * SERVERS), 3),
            "share": [round(s / total_served, 3) for s in lb.served],
            "recent_p99_ms": ms(lb.history[-1][2]) if lb.history else 0.0,
            "clients_on_several_servers": lb.moved_clients,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.requests < 1:
        sys.exit("simpy_lb.py: --requests must be at least 1")
    print(json.dumps(run(a.requests, a.seed), indent=2))


if __name__ == "__main__":
    main()
