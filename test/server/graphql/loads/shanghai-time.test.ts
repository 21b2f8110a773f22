import { describe, expect, it } from 'vitest';
import { shanghaiDate, shanghaiIso } from '../../../../server/graphql/loads/shanghai-time.ts';

describe('shanghaiIso', () => {
  it('writes an instant in China Standard Time with its offset', () => {
    expect(shanghaiIso(Date.parse('2025-11-20T04:00:00.789Z'))).toBe('2025-11-20T12:00:00+08:00');
    expect(shanghaiIso(Date.parse('2025-10-31T16:30:00Z'))).toBe('2025-11-01T00:30:00+08:00');
  });
});

describe('shanghaiDate', () => {
  it('gives the calendar date in Asia/Shanghai', () => {
    expect(shanghaiDate(Date.parse('2025-11-05T15:59:59Z'))).toBe('2025-11-05');
    expect(shanghaiDate(Date.parse('2025-11-05T16:00:00Z'))).toBe('2025-11-06');
  });
});
