/**
 * GET /api/templates/:kind.xlsx — the .xlsx template of a report kind (registry,
 * assignments, monthly, participation, survey), generated from the report contract
 * (report-templates.ts), for every signed-in user. A 学校填报员 gets it with their own
 * school's code and name filled in (the name from the registry); nobody else's school ever
 * appears in a template, so it holds nothing a user could not see. Not audited: a blank form
 * discloses no data.
 */
import { Router } from 'express';
import type { Viewer } from '../auth/viewer.ts';
import type { Warehouse } from '../db/connect.ts';
import type { ReportKind } from '../../etl/reports/report-kind.ts';
import type { Logger } from '../log.ts';
import { fail } from './request-audit.ts';
import {
  TEMPLATE_KINDS,
  templateBytes,
  templateFileName,
  type TemplateSchool,
} from './report-templates.ts';

export interface TemplatesDeps {
  warehouse: Warehouse;
  log: Logger;
  /** The clock (tests): the template's month list runs up to its month. */
  now?: () => Date;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The school a school reporter's template is filled in for: the registry's name and stage. */
async function schoolOf(deps: TemplatesDeps, code: string): Promise<TemplateSchool> {
  const row = await deps.warehouse.db
    .selectFrom('schools')
    .select(['school_name', 'stage'])
    .where('school_code', '=', code)
    .executeTakeFirst();
  // A school not yet in the registry still gets its code; its name is left for the clerk.
  return { code, name: row?.school_name ?? null, stage: row?.stage ?? 'nine_year' };
}

/** The router, mounted at /api/templates after the session middleware. */
export function templatesRouter(deps: TemplatesDeps): Router {
  const router = Router();
  router.get('/:file', async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const viewer = res.locals.viewer as Viewer | undefined;
    if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', '请先登录 / Sign in first');
    const file = String(req.params.file ?? '');
    const kind = /^([a-z]+)\.xlsx$/u.exec(file)?.[1] as ReportKind | undefined;
    if (kind === undefined || !TEMPLATE_KINDS.includes(kind)) {
      return fail(
        res,
        404,
        'NOT_FOUND',
        `没有这种报表模板（可用：${TEMPLATE_KINDS.map((k) => `${k}.xlsx`).join('、')}）/ no such report template (available: ${TEMPLATE_KINDS.map((k) => `${k}.xlsx`).join(', ')})`,
      );
    }
    try {
      const school =
        viewer.role === 'SCHOOL_REPORTER' && viewer.schoolCode
          ? await schoolOf(deps, viewer.schoolCode)
          : null;
      const bytes = await templateBytes(kind, {
        school,
        ...(deps.now ? { now: deps.now() } : {}),
      });
      res.attachment(templateFileName(kind, school));
      res.type(XLSX_TYPE);
      res.send(bytes);
    } catch (error) {
      deps.log.error({ err: error, kind }, 'template generation failed');
      next(error);
    }
  });
  return router;
}
