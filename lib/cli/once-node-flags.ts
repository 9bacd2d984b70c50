/**
 * The V8 flags a cron run of `pingwarden once` is started with: the cron lines of the README carry them
 * (`node --initial-old-space-size=64 --single-threaded bin/pingwarden.js once`), and the bench's `once` runs
 * use this list; a test checks that they agree. Like the daemon's flags (daemon-node-flags.ts) they cannot
 * be set from inside the process: V8 reads them when it creates the heap and its platform.
 *
 * `--initial-old-space-size=64`: a `once` run at 10,000 hosts grows its heap to about 40 MB within half a
 * second (the config, the resumed states, the cycle's results, all alive until it exits). From V8's small
 * starting limit that growth costs two or three full collections, marked on the GC helper threads, all for a
 * process about to exit: 0.15–0.2 s of its 0.8–0.9 s of own CPU. Starting the old generation at 64 MB
 * leaves only the young generation's scavenges; a run's peak RSS stays within a few MB.
 *
 * `--single-threaded`: V8 does its collections and optimising compiles on the main thread instead of
 * handing them to helper threads. A run of about a second of CPU gains nothing from the helpers'
 * parallelism and pays for their hand-offs: own CPU of a resumed 10,000-host run about 10 % lower (three
 * batches of four or five alternated runs, README Performance, eighth round). Node's own thread pool (file
 * system, DNS) is not affected. Without either flag the run works the same, only slower.
 */
export const ONCE_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=64', '--single-threaded'];
