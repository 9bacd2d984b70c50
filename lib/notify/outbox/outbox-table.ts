import { formatDuration } from '../../shared/format-duration.js';
import type { OutboxEntry } from './outbox-entry.js';

/**
 * What `pingwarden outbox` prints: one row per queued message and notifier, oldest first per notifier, e.g.
 *
 * ```
 * notifier  id                            age     attempts  last error
 * email     20261122T140310123Z-3f9a0c1d  38m 2s  12        email via mail.example.com:587 failed ...
 * ```
 *
 * or `outbox empty` when nothing waits.
 */
export function outboxTable(entries: readonly OutboxEntry[], now: Date): string {
  if (entries.length === 0) return 'outbox empty';
  const rows = [
    ['notifier', 'id', 'age', 'attempts', 'last error'],
    ...entries.map((entry) => [
      entry.notifier,
      entry.notification.id,
      formatDuration(Math.max(0, now.getTime() - entry.notification.composedAt.getTime()), { units: 2 }),
      String(entry.attempts),
      (entry.lastError ?? '-').replace(/\s+/g, ' '),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
