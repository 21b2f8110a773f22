/** The XlsxReadError `promise` rejects with (the test fails if it resolves or rejects otherwise). */
import { expect } from 'vitest';
import { XlsxReadError } from '../../../etl/read/xlsx.ts';

export async function failure(promise: Promise<unknown>): Promise<XlsxReadError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XlsxReadError);
  return error as XlsxReadError;
}
