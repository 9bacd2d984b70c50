/** Errors of a console stream whose reader has gone: nothing more can be shown, and nothing is wrong. */
const CLOSED_CONSOLE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Keeps pingwarden running when its console goes away: `pingwarden start | grep -m1 cycle`, `report | head`,
 * a terminal closed under a `nohup`-less pipe. Without a listener, the first write after the reader left is an
 * unhandled `EPIPE` that ends the daemon with a stack trace; with it, console lines are dropped while the log
 * files still get every line. Any other stream error is still thrown.
 */
export function survivePipeClose(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!CLOSED_CONSOLE.has(error.code ?? '')) throw error;
    });
  }
}
