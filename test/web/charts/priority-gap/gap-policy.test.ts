import { describe, expect, it } from 'vitest';
import {
  gapPolicyFor,
  gapPolicyText,
  gapTone,
  judgesGroup,
  type GapPolicy,
} from '../../../../web/src/charts/priority-gap/gap-policy.ts';

const params = (gap: unknown, disabled: string[] = []) =>
  JSON.stringify({ service: { days_per_week: 5 }, priority_gap: gap, disabled_rules: disabled });

const VERSIONS = [
  {
    version: '2021.1',
    effectiveFrom: '2021-09',
    parameters: params({ max_gap_points: 10, min_group_enrolled: 20 }),
  },
  {
    version: '2025.1',
    effectiveFrom: '2025-09',
    parameters: params({ max_gap_points: 5, min_group_enrolled: 10 }, ['PRIORITY_GAP.disabled']),
  },
];

describe('gapPolicyFor', () => {
  it('takes the version in force for the month', () => {
    expect(gapPolicyFor(VERSIONS, '2024-10')).toEqual({
      version: '2021.1',
      maxGapPoints: 10,
      minGroupEnrolled: 20,
      disabledRules: [],
    });
    expect(gapPolicyFor([...VERSIONS].reverse(), '2025-10')).toEqual({
      version: '2025.1',
      maxGapPoints: 5,
      minGroupEnrolled: 10,
      disabledRules: ['PRIORITY_GAP.disabled'],
    });
    const v2025 = gapPolicyFor(VERSIONS, '2025-10')!;
    expect(judgesGroup(v2025, 'DISABLED')).toBe(false);
    expect(judgesGroup(v2025, 'LEFT_BEHIND')).toBe(true);
  });

  it('knows no policy before the first version, or when the parameters are unreadable', () => {
    expect(gapPolicyFor(VERSIONS, '2020-01')).toBeNull();
    expect(
      gapPolicyFor([{ version: 'x', effectiveFrom: '2020-01', parameters: '{' }], '2021-01'),
    ).toBeNull();
  });

  it('keeps a threshold the district switched off as null, and a rule switched off as no group', () => {
    const off = gapPolicyFor(
      [
        {
          version: 'v',
          effectiveFrom: '2021-09',
          parameters: params({ max_gap_points: null, min_group_enrolled: 20 }, ['PRIORITY_GAP']),
        },
      ],
      '2025-10',
    );
    expect(off).toEqual({
      version: 'v',
      maxGapPoints: null,
      minGroupEnrolled: 20,
      disabledRules: ['PRIORITY_GAP'],
    });
    expect(judgesGroup(off!, 'POOR')).toBe(false);
    expect(gapPolicyText(off)).toBeNull();
  });
});

describe('gapTone', () => {
  const policy: GapPolicy = {
    version: '2021.1',
    maxGapPoints: 10,
    minGroupEnrolled: 20,
    disabledRules: ['PRIORITY_GAP.disabled'],
  };

  it('alerts only beyond the threshold, for groups large enough and judged', () => {
    expect(gapTone(-0.3, 20, 'LEFT_BEHIND', policy)).toBe('alert');
    // Exactly ten points below (0.5 − 0.6 in floating point) is not beyond it.
    expect(gapTone(0.5 - 0.6, 20, 'MIGRANT', policy)).toBe('warning');
    expect(gapTone(-0.3, 19, 'LEFT_BEHIND', policy)).toBe('warning');
    expect(gapTone(-0.8, 40, 'DISABLED', policy)).toBe('warning');
    expect(gapTone(-0.3, 20, 'LEFT_BEHIND', null)).toBe('warning');
  });

  it('is good at or above the overall rate and none without a gap', () => {
    expect(gapTone(0, 20, 'POOR', policy)).toBe('good');
    expect(gapTone(0.12, 3, 'POOR', policy)).toBe('good');
    expect(gapTone(null, 20, 'POOR', policy)).toBe('none');
    expect(gapTone(undefined, undefined, 'POOR', policy)).toBe('none');
  });
});

describe('gapPolicyText', () => {
  it('states the policy’s own numbers and version', () => {
    expect(gapPolicyText(gapPolicyFor(VERSIONS, '2025-01'))).toBe(
      '本区政策（2021.1版）：学校某优先群体参与率低于全校参与率超过 10 个百分点、且该群体学生不少于 20 人时，产生“优先群体保障不足”违规预警。',
    );
  });
});
