//! The window every version-1 compact value starts from: the design language's words and the
//! phrases designs repeat, so a copy of `users: clients rate=` costs about 15 bits. Part of the
//! format: changing one byte changes what every version-1 link decodes to, so a new dictionary
//! needs a new version character (`mod.rs`); a test pins this one's checksum.

/// Version 1's dictionary (ASCII; phrases that occur together are written together).
pub const V1: &[u8] = b"\
cut heal link_ms=0\n\
lb: balancer algorithm=random least-connections health_ms=50\n\
cache: cache capacity=100 keys=1000 zipf=1 ttl_ms=\n\
q: queue max_depth=1000 consumers=4 full=block\n\
limit: limiter rate=100 burst=10\n\
db: database workers=4 service_ms=5 fail=0.1 read_replicas=2 writes=0.1 lag_ms=200\n\
web: service workers=16 service_ms=2\n\
recs: service workers=2 service_ms=5\n\
api: service replicas=2 workers=4 service_ms=10 timeout_ms=300 queue=10 shed=deadline \
bulkhead=10 fallback=on breaker=on breaker_open_ms=1000 mtbf_ms=4000 mttr_ms=1000 \
autoscale=on target=0.6 min_replicas=2 max_replicas=12 startup_ms=3000\n\
users: clients rate=100 deadline_ms=1000 timeout_ms=300 retry=full-jitter immediate \
exponential attempts=3 backoff_ms=10 budget=0.1 spike_rate=400 spike_from_ms=2000 spike_to_ms=8000\n\
at 2000: crash db\n\
at 6000: restart db\n\
at 3000: slow api 2\n\
at 5000: fail db 0.1\n\
users -> lb -> api -> db\n\
";
