import { describe, expect, it } from 'vitest';
import { scopeLabel } from '../../../../web/src/charts/township-comparison/scope-label.ts';

describe('scopeLabel', () => {
  const none = { township: null, stage: null, locality: null };
  it('names the district, an inspector’s schools, a township or a filtered scope', () => {
    expect(scopeLabel(none, 'BUREAU_INSPECTOR')).toBe('全区');
    expect(scopeLabel(none, 'LEADERSHIP')).toBe('全区');
    expect(scopeLabel(none, 'SUPERVISING_INSPECTOR')).toBe('挂牌学校');
    expect(scopeLabel({ ...none, township: '东城镇' }, 'BUREAU_INSPECTOR')).toBe('东城镇');
    expect(scopeLabel({ ...none, township: '东城镇', stage: 'PRIMARY' }, null)).toBe('当前范围');
    expect(scopeLabel({ ...none, locality: 'RURAL' }, 'BUREAU_INSPECTOR')).toBe('当前范围');
  });
});
