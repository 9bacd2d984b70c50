import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** ms since epoch. */
  readonly receivedAt: number;
}

/** What to answer: status, headers, body. */
export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port that records every request and answers from a script:
 * the first request gets the first response, and so on; once the script is used up, 204.
 */
export class HttpTestServer {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: ScriptedResponse[];

  private constructor(
    private readonly server: Server,
    script: readonly ScriptedResponse[],
  ) {
    this.script = [...script];
  }

  /** Starts listening; resolves once it does. */
  static async start(script: readonly ScriptedResponse[] = []): Promise<HttpTestServer> {
    const server = createServer();
    const instance = new HttpTestServer(server, script);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        instance.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body,
          receivedAt: Date.now(),
        });
        const next = instance.script.shift() ?? { status: 204 };
        response.writeHead(next.status, next.headers);
        response.end(next.body ?? '');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return instance;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path = '/'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
