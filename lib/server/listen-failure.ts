import { errorMessage, FaultError } from '../shared/errors.js';

/** Plain words for the bind errors a listener meets in practice; the code follows in brackets. */
const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'no interface has that address',
  EACCES: 'permission denied',
  EAFNOSUPPORT: 'address family not supported',
  EINVAL: 'invalid address',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed',
};

/**
 * The one-line {@link FaultError} for a socket that could not be bound, such as
 * `cannot listen on 127.0.0.1:8080: address already in use (EADDRINUSE)`. `hint` names the settings to
 * change; the original error stays as `cause` for the debug log (it holds no secret).
 */
export function listenFailure(address: string, port: number, error: unknown, hint?: string): FaultError {
  const code =
    typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  const reason = code === undefined ? errorMessage(error) : `${REASONS[code] ?? 'bind failed'} (${code})`;
  const host = address.includes(':') ? `[${address}]` : address;
  return new FaultError(`cannot listen on ${host}:${port}: ${reason}${hint ? `; ${hint}` : ''}`, {
    cause: error,
  });
}
