/**
 * Masks every error that is not one of ours or Apollo's request errors: a driver or
 * programming error could quote SQL, a school code or a value, so clients see only
 * INTERNAL_SERVER_ERROR (the full error goes to the log, without values).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isEngineFailure, WarehouseUnavailableError } from '../db/engine-errors.ts';
import { QueryTimeoutError } from '../db/query-scope.ts';
import type { Logger } from '../log.ts';
import { KNOWN_CODES, type ErrorCode } from './errors.ts';

const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { development: boolean; log: Logger },
): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? '');
  if (KNOWN_CODES.has(code) || APOLLO_REQUEST_CODES.has(code)) return formatted;
  const original = unwrapResolverError(error);
  const path = formatted.path ? { path: formatted.path } : {};
  const coded = (code: ErrorCode, message: string): GraphQLFormattedError => ({
    message,
    extensions: { code },
    ...path,
  });
  // Both say what the person can do (narrow the request, retry), never the engine's text.
  if (original instanceof QueryTimeoutError) return coded('QUERY_TIMEOUT', original.message);
  if (original instanceof WarehouseUnavailableError || isEngineFailure(original))
    return coded('WAREHOUSE_UNAVAILABLE', new WarehouseUnavailableError().message);
  if (options.development) return formatted;
  options.log.error(
    { err: { name: (original as Error)?.name, stack: (original as Error)?.stack } },
    'masked internal error',
  );
  return coded('INTERNAL_SERVER_ERROR', 'Internal server error / 服务器内部错误');
}
