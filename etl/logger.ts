/**
 * Structured log lines (pino) on stderr, so stdout stays the clean result (--json).
 * Never log cell values: they can hold pupils' data.
 */
import { pino, type Logger } from 'pino';

export function createLogger(name: string): Logger {
  return pino(
    {
      name,
      level: process.env.KEHOU_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    },
    pino.destination(2),
  );
}
