import type { KindSpec } from '../reports/report-kind.ts';
import type { ApplyPlan } from './apply-plan.ts';
import { applyPlan, heldUnitsSql } from './apply.ts';
import { buildStageSql, type StageOptions } from './build-stage-sql.ts';
import type { KindProgram } from './kind-program.ts';

/** A kind whose columns the contract fixes: spec + apply plan → program. */
export function fixedKindProgram(
  spec: KindSpec,
  plan: ApplyPlan,
  options: () => StageOptions = () => ({}),
  /** Statements run once stg is built (before anything reads it), e.g. to settle defaults. */
  afterValidate: () => string[] = () => [],
): KindProgram {
  return {
    kind: spec.kind,
    headerOf: (key) => spec.columns.find((c) => c.key === key)?.header ?? key,
    async validate(conn, source) {
      const sql = buildStageSql(spec, source, options());
      for (const statement of [...sql.statements, ...afterValidate()]) await conn.run(statement);
      return { source, rawValuesSql: sql.rawValuesSql };
    },
    apply: (conn, files) => applyPlan(conn, plan, files),
    countTable: plan.table,
    heldUnitsSql: () => heldUnitsSql(plan),
  };
}
