//! Named designs a lesson or a reader can start from (`preset=NAME`). Each must build and run;
//! `tests` checks that they do and that `PRESET_CHOICES` lists exactly these names.

/// (name, what it shows, design text).
pub const PRESETS: &[(&str, &str, &str)] = &[
    ("single-server", "one service with one worker: a queue, as Erlang would draw it",
     "users: clients rate=80 deadline_ms=1000\napi: service workers=1 service_ms=10\nusers -> api"),
    ("balancer-three-servers", "a load balancer and three replicas in front of a database",
     "users: clients rate=300 deadline_ms=1000\nlb: balancer algorithm=p2c\napi: service replicas=3 workers=4 service_ms=20\ndb: database workers=8 service_ms=4\nusers -> lb -> api -> db"),
    ("read-heavy-cache", "a cache in front of a slow database answers the popular keys",
     "users: clients rate=400 deadline_ms=1000\napi: service replicas=2 workers=8 service_ms=5\ncache: cache capacity=1000 keys=10000 zipf=1\ndb: database workers=4 service_ms=20\nusers -> api -> cache -> db"),
    ("read-replicas", "reads spread over two read replicas; some of them are stale",
     "users: clients rate=600 deadline_ms=1000\napi: service replicas=2 workers=8 service_ms=5\ndb: database workers=4 service_ms=10 read_replicas=2 writes=0.1 lag_ms=200\nusers -> api -> db"),
    ("retry-storm", "a slowdown turns immediate retries into a storm of extra load",
     "users: clients rate=150 deadline_ms=2000 timeout_ms=300 retry=immediate attempts=5\napi: service workers=2 service_ms=10\nusers -> api\nat 3000: slow api 2\nat 6000: slow api 1"),
    ("circuit-breaker", "the database dies; the breaker makes calls fail in no time instead of waiting",
     "users: clients rate=150 deadline_ms=500 retry=full-jitter attempts=3 backoff_ms=50\napi: service workers=4 service_ms=20 timeout_ms=200 breaker=on\ndb: database workers=2 service_ms=10\nusers -> api -> db\nat 3000: crash db\nat 8000: restart db"),
    ("metastable", "a short spike; retries keep the overload alive after it ends",
     "users: clients rate=70 deadline_ms=1000 timeout_ms=300 retry=exponential attempts=3 backoff_ms=10 spike_rate=150 spike_from_ms=2000 spike_to_ms=4000\napi: service workers=1 service_ms=10\nusers -> api"),
    ("queue-absorbs-spike", "a broker takes a spike the worker could not, and drains it later",
     "users: clients rate=80 deadline_ms=1000 spike_rate=300 spike_from_ms=2000 spike_to_ms=4000\napi: service workers=4 service_ms=2\nq: queue max_depth=10000 consumers=2\nworker: service workers=2 service_ms=20\nusers -> api -> q -> worker"),
    ("autoscaling-lag", "a surge; new replicas take three seconds to start, and requests fail meanwhile",
     "users: clients rate=100 deadline_ms=1000 spike_rate=400 spike_from_ms=2000 spike_to_ms=8000\napi: service replicas=2 workers=2 service_ms=20 queue=50 autoscale=on target=0.6 min_replicas=2 max_replicas=12 startup_ms=3000\nusers -> api"),
    ("rate-limiter", "a token bucket turns away what the database could not take",
     "users: clients rate=400 deadline_ms=1000\nlimit: limiter rate=150 burst=20\ndb: database workers=2 service_ms=10\nusers -> limit -> db"),
    ("redundancy", "two replicas that crash at random behind a health-checked balancer",
     "users: clients rate=100 deadline_ms=1000\nlb: balancer health_ms=50\napi: service replicas=2 workers=4 service_ms=10 mtbf_ms=4000 mttr_ms=1000\nusers -> lb -> api"),
    ("bulkhead-fallback", "a slow recommendations service; a bulkhead and a fallback keep the page up",
     "users: clients rate=200 deadline_ms=500\napi: service workers=16 service_ms=2 timeout_ms=100 bulkhead=10 fallback=on\nrecs: service workers=2 service_ms=5\ndb: database workers=8 service_ms=3\napi -> recs\napi -> db\nusers -> api\nat 3000: slow recs 20"),
];

/// `preset=` values: `none` then every preset's name.
pub const PRESET_CHOICES: &[&str] = &[
    "none",
    "single-server",
    "balancer-three-servers",
    "read-heavy-cache",
    "read-replicas",
    "retry-storm",
    "circuit-breaker",
    "metastable",
    "queue-absorbs-spike",
    "autoscaling-lag",
    "rate-limiter",
    "redundancy",
    "bulkhead-fallback",
];

/// A preset's design text.
pub fn preset(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|p| p.0 == name).map(|p| p.2)
}
