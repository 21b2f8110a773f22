import { describe, expect, it } from 'vitest';
import {
  isValid,
  oneYearAfter,
  todayInShanghai,
  validateStep,
  validateVisit,
} from '../../../web/src/components/flag-forms.ts';

const EMPTY = { deadline: '', text: '', note: '', visitId: '' };

describe('todayInShanghai', () => {
  it('is the Beijing date, a day ahead of UTC after 16:00 UTC', () => {
    expect(todayInShanghai(new Date('2025-11-19T15:59:59Z'))).toBe('2025-11-19');
    expect(todayInShanghai(new Date('2025-11-19T16:00:00Z'))).toBe('2025-11-20');
  });
});

describe('oneYearAfter', () => {
  it('moves a leap day to 1 March, like the server', () => {
    expect(oneYearAfter('2025-11-20')).toBe('2026-11-20');
    expect(oneYearAfter('2024-02-29')).toBe('2025-03-01');
  });
});

describe('validateStep', () => {
  const today = '2025-11-20';

  it('requires a deadline from today to a year ahead and the request', () => {
    expect(validateStep('REQUEST_RECTIFICATION', EMPTY, today)).toEqual({
      deadline: '请选择整改期限',
      text: '请填写整改要求',
    });
    const request = { ...EMPTY, text: '限期整改' };
    expect(
      validateStep('REQUEST_RECTIFICATION', { ...request, deadline: '2025-11-19' }, today),
    ).toEqual({ deadline: '整改期限不能早于今天' });
    expect(
      validateStep('REQUEST_RECTIFICATION', { ...request, deadline: '2026-11-21' }, today),
    ).toEqual({ deadline: '整改期限最长为一年' });
    expect(
      isValid(validateStep('REQUEST_RECTIFICATION', { ...request, deadline: today }, today)),
    ).toBe(true);
  });

  it('names each step’s required text, blank counting as empty', () => {
    expect(validateStep('RECORD_RECTIFICATION', { ...EMPTY, text: '  ' }, today)).toEqual({
      text: '请填写学校整改情况',
    });
    expect(validateStep('CLOSE', EMPTY, today)).toEqual({ text: '请填写核查意见' });
    expect(validateStep('DISMISS', EMPTY, today)).toEqual({ text: '请填写撤销理由' });
    expect(validateStep('DISMISS', { ...EMPTY, text: '误报'.repeat(1001) }, today)).toEqual({
      text: '撤销理由最多 2000 个字',
    });
    expect(isValid(validateStep('CLOSE', { ...EMPTY, text: '复查已整改' }, today))).toBe(true);
  });
});

describe('validateVisit', () => {
  const today = '2025-11-20';
  const visit = {
    schoolCode: '1000000001',
    date: today,
    findings: '服务正常',
    evidence: '',
    flags: [],
  };

  it('accepts a complete visit of today', () => {
    expect(isValid(validateVisit(visit, today))).toBe(true);
  });

  it('refuses a missing school, a future date, empty findings and incomplete flags', () => {
    const errors = validateVisit(
      {
        schoolCode: '',
        date: '2025-11-21',
        findings: ' ',
        evidence: '',
        flags: [
          { code: 'COLLECTIVE_TEACHING', detail: '集体补课' },
          { code: 'COLLECTIVE_TEACHING', detail: '' },
          { code: '', detail: '说明' },
        ],
      },
      today,
    );
    expect(errors).toEqual({
      schoolCode: '请选择学校',
      date: '检查日期不能晚于今天',
      findings: '请填写检查发现',
      flags: {
        1: { code: '同一类型只能提出一次', detail: '请填写问题描述' },
        2: { code: '请选择违规预警类型' },
      },
    });
    expect(isValid(errors)).toBe(false);
  });
});
