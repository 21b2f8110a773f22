/**
 * The API's error codes. Resolvers throw these; anything else is masked as
 * INTERNAL_SERVER_ERROR outside development (see format-error.ts), so a driver message
 * that might quote a school or a value never reaches a client.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'INTERNAL_SERVER_ERROR'
  /** The request ran past the query deadline and was interrupted (format-error.ts). */
  | 'QUERY_TIMEOUT'
  /** The warehouse is re-opening after an engine failure; retrying shortly works. */
  | 'WAREHOUSE_UNAVAILABLE';

abstract class CodedError extends GraphQLError {
  abstract readonly code: ErrorCode;
}

function coded(code: ErrorCode, status: number) {
  return class extends CodedError {
    readonly code = code;
    constructor(message: string) {
      super(message, { extensions: { code, http: { status } } });
    }
  };
}

export const UnauthenticatedError = coded('UNAUTHENTICATED', 401);
/** Never says whether the thing asked for exists. */
export const ForbiddenError = coded('FORBIDDEN', 200);
export const BadUserInputError = coded('BAD_USER_INPUT', 200);
export const NotFoundError = coded('NOT_FOUND', 200);

export const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'QUERY_TIMEOUT',
  'WAREHOUSE_UNAVAILABLE',
  // Apollo's own request-level codes are safe to pass through.
]);

/** Thrown by exhaustive switches: the compiler proves it unreachable. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${String(value)}`);
  }
}
