import { describe, expect, it } from 'vitest';
import {
  changeText,
  evaluationScopeText,
  indicatorValue,
  pointsOfMax,
  publicationText,
  remitOf,
} from '../../../web/src/format/evaluation.ts';

describe('evaluation wording', () => {
  it('states the publication: version, who and when (Beijing time), or live', () => {
    expect(
      publicationText({
        published: true,
        version: 2,
        publishedBy: '督导科王老师',
        publishedAt: '2025-09-01T02:00:00Z',
      }),
    ).toBe('已发布 第2版（督导科王老师，2025/09/01 10:00）');
    expect(
      publicationText({ published: false, version: null, publishedBy: null, publishedAt: null }),
    ).toBe('未发布（实时计算）');
  });

  it('words changes, points and values', () => {
    expect(changeText(2.26)).toBe('+2.3分');
    expect(changeText(-0.04)).toBe('持平');
    expect(changeText(null)).toBe('上期未考核');
    expect(pointsOfMax(18.25, 20)).toBe('18.3 / 20.0');
    expect(indicatorValue(0.6234, 'RATE')).toBe('62.3%');
    expect(indicatorValue(85.25, 'SCORE')).toBe('85.3');
    expect(indicatorValue(1234, 'COUNT')).toBe('1,234');
    expect(indicatorValue(null, 'RATE')).toBe('—');
  });

  it('states the scope as the server words its scope line', () => {
    expect(
      remitOf({
        role: 'SUPERVISING_INSPECTOR',
        roleLabel: '责任督学',
        name: '张督学',
        inspectorId: 'DX01',
      }),
    ).toBe('责任督学 张督学（DX01）挂牌学校');
    expect(remitOf({ role: 'LEADERSHIP', roleLabel: '局领导', name: '李局长' })).toBe('全区');
    expect(
      evaluationScopeText({
        remit: '全区',
        township: '东城镇',
        stageLabel: '小学',
        localityLabel: null,
        schools: 2,
        periodLabel: '2025-2026学年',
      }),
    ).toBe('全区 · 东城镇 · 小学（2所学校）；2025-2026学年');
  });
});
