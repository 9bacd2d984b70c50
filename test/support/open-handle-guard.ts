/**
 * Root hook (loaded by .mocharc.json): after the last test, gives the process a few seconds to exit on its
 * own, and if it is still alive then, prints what keeps it open and fails the run. Mocha runs without
 * `exit: true`, so a stop() that leaves a timer, socket or child process behind would otherwise hang CI
 * until its job timeout with no hint why; here it fails in seconds and names the resources.
 */

/** How long the event loop may take to drain after the last test (closing sockets, reaped children). */
const GRACE_MS = 5_000;

export const mochaHooks = {
  afterAll(): void {
    // In watch mode the process is meant to stay alive between runs.
    if (process.argv.includes('--watch') || process.argv.includes('-w')) return;
    const timer = setTimeout(() => {
      const open = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
      process.stderr.write(
        `open-handle-guard: the process did not exit ${GRACE_MS / 1000} s after the last test; ` +
          `still open: ${open.join(', ') || '(nothing reported)'}\n`,
      );
      // Mocha, run without `exit`, sets the exit code from its failure count in an 'exit' listener of its
      // own; a listener ahead of it that exits at once keeps our 1.
      process.prependListener('exit', () => process.exit(1));
      process.exit(1);
    }, GRACE_MS);
    // Unref'd: it must not itself keep the process alive.
    timer.unref();
  },
};
