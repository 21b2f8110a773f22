/**
 * What a DuckDB error means for the warehouse as a whole. DuckDB invalidates the whole
 * database after a FATAL error, and after many INTERNAL ones (a failed assertion in the
 * engine): every later statement on every connection then fails until the instance is
 * re-opened. Interrupts are ours (a query timeout), not the engine's.
 */

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}

/** The instance may be unusable: worth a probe and, if it fails, a re-open. */
export function isEngineFailure(error: unknown): boolean {
  return /^(FATAL|INTERNAL) Error|database has been invalidated/mu.test(messageOf(error));
}

/** DuckDB's answer to `connection.interrupt()`. */
export function isInterrupted(error: unknown): boolean {
  return /^INTERRUPT Error/mu.test(messageOf(error));
}

/** The default length of an error message shown to a person or written to a log. */
export const MESSAGE_LIMIT = 600;

/**
 * A message cut to `limit` characters: DuckDB quotes the offending line of a CSV, which can
 * be megabytes long, and a reject or a log line must stay readable.
 */
export function shortMessage(error: unknown, limit: number = MESSAGE_LIMIT): string {
  const text = error instanceof Error ? error.message : String(error);
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return `${cut}…（已截断，原文 ${text.length.toLocaleString('en-US')} 字符 / cut, ${text.length.toLocaleString('en-US')} characters in all）`;
}

/** The warehouse is being re-opened (or could not be): the request may simply be retried. */
export class WarehouseUnavailableError extends Error {
  constructor() {
    super(
      '数据仓库暂不可用，正在恢复，请稍后重试 / the warehouse is unavailable while it recovers; try again shortly',
    );
    this.name = 'WarehouseUnavailableError';
  }
}
