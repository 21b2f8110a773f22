import { describe, expect, it } from 'vitest';
import {
  groupCell,
  groupCount,
  groupGap,
  groupRate,
  smallCellNote,
  withheld,
  withheldText,
} from '../../../web/src/format/small-cell.ts';

const shown = { suppressed: false, suppressedBelow: null };
const hidden = { suppressed: true, suppressedBelow: 10 };
const hidden5 = { suppressed: true, suppressedBelow: 5 };

describe('small-cell display', () => {
  it('writes "<n" with the server’s n for a withheld count, the figure otherwise', () => {
    expect(withheld(hidden)).toBe(true);
    expect(withheld(shown)).toBe(false);
    expect(withheld(undefined)).toBe(false);
    expect(withheldText(hidden)).toBe('<10');
    expect(withheldText(hidden5)).toBe('<5');
    expect(groupCount(hidden, null)).toBe('<10');
    expect(groupCount(shown, 1234)).toBe('1,234');
    expect(groupCount(shown, null)).toBe('—');
  });

  it('writes "<10人" for a withheld rate or gap, so it never reads as a percentage', () => {
    expect(groupRate(hidden, null)).toBe('<10人');
    expect(groupGap(hidden, null)).toBe('<10人');
    expect(groupRate(shown, 0.375)).toBe('37.5%');
    expect(groupGap(shown, -0.032)).toBe('−3.2个百分点');
  });

  it('exports a withheld cell as text and an exact one as its value', () => {
    expect(groupCell(hidden, null)).toBe('<10');
    expect(groupCell(hidden, null, true)).toBe('<10人');
    expect(groupCell(shown, 37)).toBe(37);
  });

  it('notes the protection once when any figure is withheld, not otherwise', () => {
    expect(smallCellNote([shown, hidden])).toBe(
      '小群体保护：“<10”表示该群体人数少于10人（或为防止推算一并隐藏），人数、参与率和差距不予显示',
    );
    expect(smallCellNote([shown, undefined])).toBeNull();
  });
});
