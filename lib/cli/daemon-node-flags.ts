/**
 * The V8 flags the monitor daemon is started with: the shebang of `bin/pingwarden.js` (so `npx pingwarden`
 * and `bin/pingwarden.js` run directly), `npm start` and `scripts/systemd/pingwarden.service` all carry
 * them; a test checks that they agree. They cannot be set from inside the process: V8 reads them when it
 * creates the heap.
 *
 * `--no-memory-reducer`: between two cycles the daemon is idle, and V8's memory reducer takes that idle
 * time to shrink the heap (a full collection and the young generation back to its minimum); every cycle
 * then grows it again through dozens of small scavenges, promotes the cycle's short-lived results to the
 * old generation and collects them there. At 10,000 hosts that cost 0.05–0.1 s of CPU a cycle (the
 * daemon's own 0.18–0.22 s became 0.12–0.14 s); the peak RSS, set by the first cycle, does not change.
 * A short `once` run gains nothing measurable, so the cron lines do not need it.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];
