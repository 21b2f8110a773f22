/**
 * The server's structured log (pino, JSON lines on stderr). Cookies, credentials and
 * request bodies are never logged: they can hold session tokens, passwords or pupils' data.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createServerLogger(name = 'server'): Logger {
  return pino(
    {
      name,
      level: process.env.KEHOU_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
      redact: { paths: ['password', '*.password', 'cookie', '*.cookie', 'token'], remove: true },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(2),
  );
}
