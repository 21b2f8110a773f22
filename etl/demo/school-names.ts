/**
 * Chooses names, localities and stages for the schools of one township, following how
 * schools in a Chinese county are actually laid out: named city schools in the seat and
 * the streets; a 中心小学 and an 初级中学 in every town seat; village primaries (村小)
 * and a few nine-year schools in the countryside.
 */
import type { Rng } from './random.ts';
import type { Locality, Stage, Township } from './model.ts';
import { COUNTY, CITY_WORDS, PRIVATE_WORDS, chineseNumber, villageName } from './names.ts';

export interface SchoolSketch {
  name: string;
  stage: Stage;
  locality: Locality;
  ownership: '公办' | '民办';
  /** The town's central school: bigger, in the town seat, never remote. */
  central: boolean;
}

/** Counters shared by the whole county (第N初级中学 is numbered county-wide). */
export interface NameCounters {
  juniorNo: number;
  completeNo: number;
  privateNo: number;
  cityWordNo: number;
  used: Set<string>;
}

export function newNameCounters(): NameCounters {
  return { juniorNo: 0, completeNo: 1, privateNo: 0, cityWordNo: 0, used: new Set() };
}

function unique(name: string, c: NameCounters): string {
  let out = name;
  for (let n = 2; c.used.has(out); n++) out = `${name}（${chineseNumber(n)}校区）`;
  c.used.add(out);
  return out;
}

function urbanStage(rng: Rng): Stage {
  return rng.weighted<Stage>([
    ['小学', 0.66],
    ['初中', 0.2],
    ['九年一贯制', 0.14],
  ]);
}

/**
 * `count` schools for township `t`, of which `complete` are 完全中学 and `privates` are
 * 民办 (both only ever asked of city townships).
 */
export function sketchTownship(
  t: Township,
  count: number,
  complete: number,
  privates: number,
  rng: Rng,
  c: NameCounters,
): SchoolSketch[] {
  const out: SchoolSketch[] = [];
  const urban = t.kind === 'seat' || t.kind === 'street';
  const villages = new Set<string>();
  let primaryNo = 0;
  let juniorNo = 0;
  let nineNo = 0;

  const add = (s: Omit<SchoolSketch, 'name'> & { name: string }): void => {
    out.push({ ...s, name: unique(s.name, c) });
  };

  for (let i = 0; i < complete && out.length < count; i++) {
    c.completeNo++;
    add({
      name: `${COUNTY}第${chineseNumber(c.completeNo)}中学`,
      stage: '完全中学',
      locality: '城区',
      ownership: '公办',
      central: true,
    });
  }
  for (let i = 0; i < privates && out.length < count; i++) {
    const stage = rng.weighted<Stage>([
      ['九年一贯制', 0.5],
      ['小学', 0.3],
      ['初中', 0.2],
    ]);
    const word = PRIVATE_WORDS[c.privateNo % PRIVATE_WORDS.length] ?? '育才';
    c.privateNo++;
    const suffix = stage === '小学' ? '小学' : stage === '初中' ? '中学' : '实验学校';
    add({
      name: `${COUNTY}${word}${suffix}`,
      stage,
      locality: '城区',
      ownership: '民办',
      central: false,
    });
  }

  const specials = out.length;
  while (out.length < count) {
    // Position among the township's ordinary schools: the first ones are its anchors.
    const k = out.length - specials;
    if (urban) {
      const stage: Stage = k === 0 ? '小学' : k === 2 ? '初中' : urbanStage(rng);
      let name: string;
      if (stage === '小学') {
        primaryNo++;
        const first = t.kind === 'seat' ? `${COUNTY}实验小学` : `${t.name}实验小学`;
        const prefix = t.kind === 'seat' ? `${COUNTY}${t.name}` : t.name;
        name = primaryNo === 1 ? first : `${prefix}第${chineseNumber(primaryNo - 1)}小学`;
      } else if (stage === '初中') {
        c.juniorNo++;
        name = `${COUNTY}第${chineseNumber(c.juniorNo)}初级中学`;
      } else {
        nineNo++;
        const word = CITY_WORDS[c.cityWordNo];
        if (nineNo === 1) name = `${t.name}九年一贯制学校`;
        else if (word) {
          c.cityWordNo++;
          name = `${COUNTY}${word}学校`;
        } else name = `${t.name}第${chineseNumber(nineNo)}九年一贯制学校`;
      }
      add({ name, stage, locality: '城区', ownership: '公办', central: k < 3 });
      continue;
    }

    const centreLocality: Locality = t.kind === 'town' ? '镇区' : '乡村';
    if (k === 0) {
      add({
        name: `${t.name}中心小学`,
        stage: '小学',
        locality: centreLocality,
        ownership: '公办',
        central: true,
      });
    } else if (k === 1 || (k >= 8 && rng.chance(0.08))) {
      juniorNo++;
      const name =
        juniorNo === 1 ? `${t.name}初级中学` : `${t.name}第${chineseNumber(juniorNo)}初级中学`;
      add({
        name,
        stage: '初中',
        locality: centreLocality,
        ownership: '公办',
        central: juniorNo === 1,
      });
    } else if ((k === 4 && rng.chance(0.6)) || rng.chance(0.07)) {
      nineNo++;
      const name =
        nineNo === 1 ? `${t.name}九年一贯制学校` : `${t.name}${villageName(rng, villages)}学校`;
      add({
        name,
        stage: '九年一贯制',
        locality: nineNo === 1 ? centreLocality : '乡村',
        ownership: '公办',
        central: false,
      });
    } else {
      add({
        name: `${t.name}${villageName(rng, villages)}小学`,
        stage: '小学',
        locality: '乡村',
        ownership: '公办',
        central: false,
      });
    }
  }
  return out;
}
