/**
 * The dashboard's only way to the data: POST /graphql with the session cookie. Errors keep
 * the server's code; the server writes messages as "中文 / English", and the UI shows the
 * Chinese half.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: () => void = () => {};

/** Called once by main.ts: a signed-out session sends the user to the sign-in page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** The Chinese half of a bilingual server message. */
export function chineseMessage(message: string): string {
  const [zh] = message.split(' / ');
  return (zh ?? message).trim();
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  /** The server's own answer before GraphQL ran: 503 while the warehouse recovers, 408, 413. */
  error?: { code?: string; message?: string };
}

/**
 * How the answer is used. `export`: it is written to a file or a printed page, so the server
 * answers small-cell-protected figures whatever the role (header `x-kehou-disclosure:
 * export`, read by server/graphql/scope/disclosure.ts); `view` (default): the role decides.
 */
export type Disclosure = 'view' | 'export';

export async function request<TData, TVariables extends object = Record<string, never>>(
  query: string,
  variables?: TVariables,
  signal?: AbortSignal,
  disclosure: Disclosure = 'view',
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(disclosure === 'export' ? { 'x-kehou-disclosure': 'export' } : {}),
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK');
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new ApiError(`服务器返回异常（HTTP ${response.status}）`, 'BAD_RESPONSE');
  }
  if (body.error?.message)
    throw new ApiError(
      chineseMessage(body.error.message),
      body.error.code ?? `HTTP_${response.status}`,
    );
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    if (code === 'UNAUTHENTICATED') onUnauthenticated();
    throw new ApiError(chineseMessage(first.message), code);
  }
  if (!body.data) throw new ApiError('服务器未返回数据', 'BAD_RESPONSE');
  return body.data;
}
