import type { Settings } from '../../config/types.js';
import type { OutboxPolicy } from './outbox-sender.js';

/** The outbox policy the settings ask for. */
export function outboxPolicy(settings: Settings): OutboxPolicy {
  return {
    retryMaxMs: settings.outboxRetryMaxSeconds * 1000,
    expireMs: settings.outboxExpireHours * 3600_000,
  };
}
