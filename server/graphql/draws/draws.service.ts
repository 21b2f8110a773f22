/**
 * 四不两直 draws: who may draw and read them (the bureau alone), drawing (validate, gather
 * the scope's schools with their risk band and last visit, leave out the recently visited,
 * draw, record it all with an audit row), replaying a draw from its seed, and a 督学's due
 * unannounced visits (only those dated today or earlier).
 */
import { addDays, currentDate, daysBetween } from '../../db/calendar.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import { policyFor } from '../../policy/policy.ts';
import type { Viewer } from '../../auth/viewer.ts';
import type { DrawVisitsInput } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError, ForbiddenError } from '../errors.ts';
import { assertDate, optionalText } from '../inspections/user-input.ts';
import { riskScoresBySchool } from '../plan/risk-score.ts';
import { scopeRequest } from '../scope/scope-input.ts';
import { insertAudit } from '../users/users.repository.ts';
import { drawSchools, workingDays, type DrawnSchool } from './draw-plan.ts';
import {
  drawnSchools,
  drawPage,
  dueVisits,
  insertDraw,
  MAX_CANDIDATES,
  recordedCandidates,
  scopeSchools,
  type DrawRow,
  type DueVisitRow,
  type RecordedCandidate,
} from './draws.repository.ts';
import { freshSeed } from './prng.ts';

export const DRAWS_FORBIDDEN = `仅${ROLE_LABEL.BUREAU_INSPECTOR}可以抽取和查看四不两直名单 / only bureau inspectors may draw or read unannounced-visit draws`;

/** Most schools one draw may pick. */
export const MAX_SAMPLE_SIZE = 200;
/** Longest date range of one draw, in days (about a quarter). */
export const MAX_RANGE_DAYS = 92;
/** Longest seed text, in characters. */
export const MAX_SEED_LENGTH = 64;

/** FORBIDDEN for every role but BUREAU_INSPECTOR. */
export function assertDrawer(viewer: Viewer): void {
  if (viewer.role !== 'BUREAU_INSPECTOR') throw new ForbiddenError(DRAWS_FORBIDDEN);
}

export interface DrawForm {
  from: string;
  to: string;
  sampleSize: number;
  seed: string;
  includeRecent: boolean;
  note: string | null;
}

/** Validates the draw form against today (Asia/Shanghai); throws BAD_USER_INPUT. */
export function drawForm(input: DrawVisitsInput, today: string): DrawForm {
  const from = assertDate(input.from, 'from');
  const to = assertDate(input.to, 'to');
  if (from > to) throw new BadUserInputError('from 不能晚于 to / from must not be after to');
  // A range starting in the past would show its earliest schools to their 督学 at once.
  if (from < today)
    throw new BadUserInputError(`开始日期不能早于今天（${today}） / from must not be before today`);
  if (daysBetween(from, to) > MAX_RANGE_DAYS)
    throw new BadUserInputError(
      `日期范围最长 ${MAX_RANGE_DAYS} 天 / the range may span at most ${MAX_RANGE_DAYS} days`,
    );
  if (workingDays(from, to).length === 0)
    throw new BadUserInputError(
      '日期范围内没有工作日 / there is no working day between from and to',
    );
  if (
    !Number.isInteger(input.sampleSize) ||
    input.sampleSize < 1 ||
    input.sampleSize > MAX_SAMPLE_SIZE
  )
    throw new BadUserInputError(
      `抽取数量应在 1 到 ${MAX_SAMPLE_SIZE} 之间 / sampleSize must be 1..${MAX_SAMPLE_SIZE}`,
    );
  const seed = optionalText(input.seed, 'seed', MAX_SEED_LENGTH) ?? freshSeed();
  return {
    from,
    to,
    sampleSize: input.sampleSize,
    seed,
    includeRecent: input.includeRecent ?? false,
    note: optionalText(input.note, 'note'),
  };
}

/** Draws and records; returns the draw's id. */
export async function drawVisits(ctx: GraphQLContext, input: DrawVisitsInput): Promise<number> {
  assertDrawer(ctx.viewer);
  const at = ctx.now();
  const today = currentDate(at);
  const form = drawForm(input, today);
  const month = form.from.slice(0, 7);
  const version = policyFor(ctx.policy, month);
  const recentDays = version.draws.recent_visit_days;
  const schools = await scopeSchools(ctx.db, scopeRequest(ctx, input.scope, [month]), form.from);
  if (schools.length > MAX_CANDIDATES)
    throw new BadUserInputError(
      `候选学校超过 ${MAX_CANDIDATES} 所，请缩小范围 / more than ${MAX_CANDIDATES} candidate schools: narrow the scope`,
    );
  // The risk band as the visit plan scores it today (this month's plan).
  const risk = await riskScoresBySchool(
    ctx.db,
    ctx.policy,
    today.slice(0, 7),
    schools.map((s) => s.schoolCode),
    { now: at },
  );
  const cutoff = addDays(form.from, -recentDays);
  const candidates: RecordedCandidate[] = schools.map((s) => {
    const scored = risk.get(s.schoolCode);
    return {
      schoolCode: s.schoolCode,
      township: s.township,
      band: scored?.band ?? 'LOW',
      score: scored?.score ?? 0,
      lastVisit: s.lastVisit,
      eligible: form.includeRecent || s.lastVisit === null || s.lastVisit < cutoff,
    };
  });
  const result = drawSchools({
    candidates: candidates.filter((c) => c.eligible),
    sampleSize: form.sampleSize,
    seed: form.seed,
    from: form.from,
    to: form.to,
  });
  const scopeJson = input.scope ? JSON.stringify(input.scope) : null;
  return ctx.writer.write(async ({ db }) => {
    const drawId = await insertDraw(
      db,
      {
        ...form,
        recentDays,
        scopeJson,
        policyVersion: version.version,
        userId: ctx.viewer.userId,
        username: ctx.viewer.username,
        at,
      },
      candidates,
      result.schools,
    );
    await insertAudit(db, {
      at,
      userId: ctx.viewer.userId,
      username: ctx.viewer.username,
      action: 'draws.draw',
      target: `draw:${drawId}`,
      outcome: 'ok',
      // The drawn schools stay out of the audit detail: readers of the trail need not be
      // the drawers, and the list is secret until each visit date.
      detail: `seed=${form.seed} from=${form.from} to=${form.to} n=${result.schools.length} candidates=${candidates.filter((c) => c.eligible).length}`,
      ip: null,
    });
    return drawId;
  });
}

/** Draws, newest first (bureau only). */
export async function listDraws(
  ctx: GraphQLContext,
  drawId: number | null,
  limit: number,
  offset: number,
): Promise<DrawRow[]> {
  assertDrawer(ctx.viewer);
  return drawPage(ctx.db, drawId, limit, offset);
}

export interface Verification {
  matches: boolean;
  checked: number;
  differences: string[];
}

const slot = (school: string, date: string) => `${school}（${date}）`;

/** Replays a draw's seed over its recorded candidates; null when there is no such draw. */
export async function verifyDraw(
  ctx: GraphQLContext,
  drawId: number,
): Promise<Verification | null> {
  assertDrawer(ctx.viewer);
  const [draw] = await drawPage(ctx.db, drawId, 1, 0);
  if (!draw) return null;
  const [candidates, recorded] = await Promise.all([
    recordedCandidates(ctx.db, drawId),
    drawnSchools(ctx.db, [drawId]),
  ]);
  const replay: DrawnSchool[] = drawSchools({
    candidates,
    sampleSize: draw.sample_size,
    seed: draw.seed,
    from: draw.from_date,
    to: draw.to_date,
  }).schools;
  const differences: string[] = [];
  const positions = Math.max(replay.length, recorded.length);
  for (let i = 0; i < positions; i += 1) {
    const mine = recorded[i];
    const again = replay[i];
    const was = mine ? slot(mine.school_code, mine.visit_date) : '无';
    const is = again ? slot(again.schoolCode, again.visitDate) : '无';
    if (was !== is) differences.push(`第 ${i + 1} 位：记录为 ${was}，按种子重放为 ${is}`);
  }
  return { matches: differences.length === 0, checked: positions, differences };
}

/** A 督学's drawn schools due today or earlier; nothing for other roles or an unlinked 督学. */
export async function myDueVisits(ctx: GraphQLContext): Promise<DueVisitRow[]> {
  const { viewer } = ctx;
  if (viewer.role !== 'SUPERVISING_INSPECTOR' || viewer.inspectorId === null) return [];
  return dueVisits(ctx.db, viewer.inspectorId, currentDate(ctx.now()));
}
