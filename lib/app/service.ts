import { errorMessage } from '../shared/errors.js';

/** One long-lived part of a running pingwarden: a loop, a listener, the outbox, the log. */
export interface Service {
  /** For log lines about it: `http`, `heartbeats`, `outbox`. */
  readonly name: string;
  /** Resolves once the service runs (a listener is bound); rejects when it cannot. */
  start(): Promise<void> | void;
  /** Ends it and waits until it has ended; called once, and only after a successful start. */
  stop(): Promise<void> | void;
}

/** Services that were all started, to be stopped in reverse order. */
export interface RunningServices {
  /** Stops every service, last started first; a failing stop is reported and the others still stop. */
  stop(): Promise<void>;
}

/**
 * Starts `services` in order. When one fails to start, those already started are stopped, in reverse, and
 * the error is rethrown: nothing is left bound or open (a failed HTTP bind frees the heartbeat socket and
 * closes the log).
 *
 * @param onStopError told about a service whose stop failed; the log may be closed by then, so this is
 *   usually the console
 */
export async function startServices(
  services: readonly Service[],
  onStopError: (name: string, error: unknown) => void,
): Promise<RunningServices> {
  const started: Service[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) {
      try {
        await service.stop();
      } catch (error) {
        onStopError(service.name, error);
      }
    }
    started.length = 0;
  };
  for (const service of services) {
    try {
      await service.start();
    } catch (error) {
      await stopAll();
      throw error;
    }
    started.push(service);
  }
  return { stop: stopAll };
}

/** Reports a failed stop on the console: by then the log may already be closed. */
export function stopErrorTo(err: (text: string) => void): (name: string, error: unknown) => void {
  return (name, error) => err(`pingwarden: could not stop ${name}: ${errorMessage(error)}`);
}
