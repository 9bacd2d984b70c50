import { expect } from 'chai';
import winston from 'winston';

import { BatchedConsole } from '../../lib/shared/batched-console.js';

/** A logger writing through a BatchedConsole into recorded writes: `[stream, text]` per write call. */
function recordedLogger() {
  const writes: ['out' | 'err', string][] = [];
  const transport = new BatchedConsole({
    format: winston.format.printf(({ level, message }) => `${level} ${String(message)}`),
    stderrLevels: ['error', 'warn'],
    streams: {
      stdout: { write: (text: string) => writes.push(['out', text]) },
      stderr: { write: (text: string) => writes.push(['err', text]) },
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [transport] });
  return { writes, transport, logger };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('shared/batched-console', () => {
  it('writes the lines of one turn as one write per run of the same stream, in order', async () => {
    const { writes, transport, logger } = recordedLogger();
    logger.info('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    logger.debug('e');
    // Nothing yet: the lines go out together after this turn.
    expect(writes).to.deep.equal([]);
    await nextTurn();
    await nextTurn();
    expect(writes).to.deep.equal([
      ['out', 'info a\ninfo b\n'],
      ['err', 'warn c\nerror d\n'],
      ['out', 'debug e\n'],
    ]);
    transport.close();
  });

  it('each turn writes its own lines; close writes what is still pending', async () => {
    const { writes, transport, logger } = recordedLogger();
    logger.info('first');
    await nextTurn();
    await nextTurn();
    logger.warn('last');
    // winston hands the line to the transport asynchronously too: wait until it holds it.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    transport.close();
    expect(writes).to.deep.equal([
      ['out', 'info first\n'],
      ['err', 'warn last\n'],
    ]);
  });

  it('stops listening for the process exit once closed', () => {
    const before = process.listenerCount('exit');
    const { transport } = recordedLogger();
    expect(process.listenerCount('exit')).to.equal(before + 1);
    transport.close();
    expect(process.listenerCount('exit')).to.equal(before);
  });
});
