import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP service on 127.0.0.1 for `tcp://` host checks: it accepts and drops every connection. A test takes
 * it down by closing it and brings it back by listening again on the same `port`.
 */
export async function tcpService(port = 0): Promise<{ server: Server; port: number; id: string }> {
  const server = createServer((socket) => socket.destroy());
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return { server, port: bound, id: `tcp://127.0.0.1:${bound}` };
}

/** Closes `server` and waits until it has stopped listening. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
