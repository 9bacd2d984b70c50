/**
 * The V8 flags the monitor daemon is started with: the shebang of `bin/pingwarden.js` (so `npx pingwarden`
 * and `bin/pingwarden.js` run directly), `npm start` and `scripts/systemd/pingwarden.service` all carry
 * them, with {@link DAEMON_ENVIRONMENT}; a test checks that they agree. They cannot be set from inside the
 * process: V8 reads them when it creates the heap.
 *
 * - `--no-memory-reducer`: between two cycles the daemon is idle, and V8's memory reducer takes that idle
 *   time to shrink the heap (a full collection and the young generation back to its minimum); every cycle
 *   then grows it again through dozens of small scavenges, promotes the cycle's short-lived results to the
 *   old generation and collects them there. At 10,000 hosts that cost 0.05–0.1 s of CPU a cycle (the
 *   daemon's own 0.18–0.22 s became 0.12–0.14 s).
 * - `--max-semi-space-size=1`: V8 grows the young generation to two 16 MB halves during a busy first
 *   cycle and keeps them: a third of the daemon's peak RSS at 10,000 hosts. A cycle's results outlive a
 *   scavenge anyway (they are the next cycle's states), so 1 MB halves cost little CPU.
 * - `--heap-growing-percent=10`: the old generation is collected once it is 10 % over what the last full
 *   collection kept, instead of V8's default (up to twice that) for a heap it thinks is small.
 *
 * Together, with {@link DAEMON_ENVIRONMENT}, the daemon's peak RSS at 10,000 hosts went from 130 to about
 * 92 MB for some 0.04 s more of its own CPU per cycle (README, Performance, fifth round). A short `once`
 * run gains nothing from them, so the cron lines do not carry them.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = [
  '--no-memory-reducer',
  '--max-semi-space-size=1',
  '--heap-growing-percent=10',
];

/**
 * Environment variables the daemon is started with, beside {@link DAEMON_NODE_FLAGS}, in the same places.
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own malloc arena, up to eight per core;
 * V8's compiler and GC threads and libuv's pool each kept freed memory in theirs, 6–8 MB of the daemon's
 * RSS. glibc reads it before the first allocation, so it cannot be set from inside the process either.
 */
export const DAEMON_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** {@link DAEMON_ENVIRONMENT} as shell assignments, `MALLOC_ARENA_MAX=2`: the prefix of the command lines. */
export function daemonEnvironmentAssignments(): string {
  return Object.entries(DAEMON_ENVIRONMENT)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
