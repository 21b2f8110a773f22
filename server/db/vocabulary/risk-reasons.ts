/**
 * The one home of the 走访计划's risk vocabulary: the reasons a school's risk score is made
 * of (in the order they are shown when their points tie) and the risk bands, with the words
 * users read. The GraphQL enums RiskReasonCode / RiskBand name the same values and their
 * label fields carry these words to the web app.
 */
export const RISK_REASONS = [
  { code: 'OVERDUE_FLAG', zh: '违规预警整改逾期' },
  { code: 'OPEN_FLAG', zh: '未办结违规预警' },
  { code: 'COMPLAINT', zh: '投诉举报' },
  { code: 'SATISFACTION_DROP', zh: '家长满意度下降' },
  { code: 'PARTICIPATION_DROP', zh: '参与率下降' },
  { code: 'PRIORITY_GAP', zh: '优先保障差距' },
  { code: 'OPEN_DOUBT', zh: '数据疑点' },
  { code: 'UNVISITED', zh: '久未走访' },
] as const;

export type RiskReasonCode = (typeof RISK_REASONS)[number]['code'];

/** Bands from the policy's visit_plan.bands, highest first. */
export const RISK_BANDS = [
  { band: 'HIGH', zh: '高风险' },
  { band: 'MEDIUM', zh: '中风险' },
  { band: 'LOW', zh: '低风险' },
] as const;

export type RiskBand = (typeof RISK_BANDS)[number]['band'];

const REASON_LABELS = new Map<string, string>(RISK_REASONS.map((r) => [r.code, r.zh]));
const BAND_LABELS = new Map<string, string>(RISK_BANDS.map((b) => [b.band, b.zh]));

/** The reason's Chinese label, e.g. 违规预警整改逾期. */
export function riskReasonLabel(code: RiskReasonCode): string {
  return REASON_LABELS.get(code) as string;
}

/** The band's Chinese label, e.g. 高风险. */
export function riskBandLabel(band: RiskBand): string {
  return BAND_LABELS.get(band) as string;
}
