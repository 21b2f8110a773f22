import { describe, expect, it } from 'vitest';
import { cellText, stateMark } from '../../../web/src/components/submission-cells.ts';

describe('a 报送情况 cell', () => {
  it('has a distinct mark per state, readable without colour', () => {
    const marks = (['ON_TIME', 'LATE', 'MISSING', 'NOT_DUE'] as const).map(
      (s) => stateMark(s).mark,
    );
    expect(marks).toEqual(['✓', '迟', '缺', '·']);
  });

  it('says the state, first arrival, corrections and open doubts in words', () => {
    expect(
      cellText('2025年9月', {
        state: 'LATE',
        corrections: 1,
        openDoubts: 2,
        received: '2025/10/07 09:00',
      }),
    ).toBe('2025年9月 逾期报送，首次报送 2025/10/07 09:00，更正1次，待核实疑点2条');
    expect(
      cellText('2025年10月', { state: 'MISSING', corrections: 0, openDoubts: 0, received: null }),
    ).toBe('2025年10月 未报送');
  });
});
