/**
 * The candidates of each 四不两直 draw (visit_draw_candidates): every school the draw's
 * scope held, with the stratum it was drawn from (township × risk band as scored at the
 * draw) and its last visit before from_date. verifyDraw replays the seed over exactly the
 * eligible rows here, so a later change of a school's township, risk or visits cannot make
 * an honest draw look tampered with; the excluded rows say why a school was left out.
 */
import type { Migration } from '../migrate.ts';

export const visitDrawCandidates: Migration = {
  version: 11,
  name: 'the candidates of each unannounced-visit draw',
  statements: [
    `CREATE TABLE visit_draw_candidates (
      draw_id BIGINT NOT NULL,
      school_code VARCHAR NOT NULL,
      township VARCHAR NOT NULL,
      risk_band VARCHAR NOT NULL CHECK (risk_band IN ('HIGH', 'MEDIUM', 'LOW')),
      risk_score DOUBLE NOT NULL,
      last_visit_date DATE,
      eligible BOOLEAN NOT NULL,
      PRIMARY KEY (draw_id, school_code)
    )`,
  ],
};
