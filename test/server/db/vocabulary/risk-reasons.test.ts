/**
 * The 走访计划's risk vocabulary lives once (server/db/vocabulary/risk-reasons.ts): the
 * GraphQL enums RiskReasonCode and RiskBand name the same values, in the same order, with
 * the same words as their descriptions.
 */
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  RISK_BANDS,
  RISK_REASONS,
  riskBandLabel,
  riskReasonLabel,
} from '../../../../server/db/vocabulary/risk-reasons.ts';
import { loadTypeDefs } from '../../../../server/graphql/schema.ts';

describe('risk vocabulary', () => {
  const schema = buildSchema(loadTypeDefs().join('\n'));
  const values = (name: string) =>
    (schema.getType(name) as GraphQLEnumType).getValues().map((v) => [v.name, v.description]);

  it('is the schema’s RiskReasonCode and RiskBand, labels included', () => {
    expect(values('RiskReasonCode')).toEqual(RISK_REASONS.map((r) => [r.code, r.zh]));
    expect(values('RiskBand')).toEqual(RISK_BANDS.map((b) => [b.band, b.zh]));
  });

  it('labels by code', () => {
    expect(riskReasonLabel('UNVISITED')).toBe('久未走访');
    expect(riskBandLabel('HIGH')).toBe('高风险');
  });
});
