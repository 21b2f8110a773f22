import { describe, expect, it } from 'vitest';
import { kindLabel, unitLabel } from '../../../web/src/upload/report-kinds.ts';

describe('kindLabel', () => {
  it('names each report kind in Chinese and an unrecognised file 未识别', () => {
    expect(
      ['registry', 'assignments', 'monthly', 'participation', 'survey'].map(kindLabel),
    ).toEqual(['学校名录', '督学挂牌', '月报', '分年级参与情况', '满意度问卷']);
    expect(kindLabel(null)).toBe('未识别');
    expect(kindLabel('other')).toBe('other');
  });
});

describe('unitLabel', () => {
  it('says what one unit of loading is', () => {
    expect(unitLabel('monthly')).toBe('个校·月');
    expect(unitLabel('registry')).toBe('所学校');
    expect(unitLabel(null)).toBe('个单元');
  });
});
