/**
 * Name material for an invented county. Names follow the patterns a bureau inspector
 * sees every day (县第一初级中学, 镇中心小学, 村小, 九年一贯制学校) so the demo reads as real.
 */
import type { Rng } from './random.ts';
import type { Township } from './model.ts';

export const COUNTY = '清河县';

/** Ordered so that the first ten (the default district) mix city, towns and villages. */
export const TOWNSHIPS: readonly Township[] = [
  { name: '城关镇', kind: 'seat', mountain: false },
  { name: '东城街道', kind: 'street', mountain: false },
  { name: '西城街道', kind: 'street', mountain: false },
  { name: '柳林镇', kind: 'town', mountain: false },
  { name: '河西乡', kind: 'xiang', mountain: false },
  { name: '杨集镇', kind: 'town', mountain: false },
  { name: '白马镇', kind: 'town', mountain: false },
  { name: '石门乡', kind: 'xiang', mountain: true },
  { name: '新安镇', kind: 'town', mountain: false },
  { name: '青山乡', kind: 'xiang', mountain: true },
  { name: '南关街道', kind: 'street', mountain: false },
  { name: '王店镇', kind: 'town', mountain: false },
  { name: '双庙乡', kind: 'xiang', mountain: false },
  { name: '李寨镇', kind: 'town', mountain: false },
  { name: '龙泉乡', kind: 'xiang', mountain: true },
  { name: '桃园镇', kind: 'town', mountain: false },
  { name: '高庄乡', kind: 'xiang', mountain: false },
  { name: '古城镇', kind: 'town', mountain: false },
  { name: '张湾乡', kind: 'xiang', mountain: false },
  { name: '马头镇', kind: 'town', mountain: false },
  { name: '北关街道', kind: 'street', mountain: false },
  { name: '孙集乡', kind: 'xiang', mountain: false },
  { name: '白沙镇', kind: 'town', mountain: false },
  { name: '云台乡', kind: 'xiang', mountain: true },
];

const VILLAGE_SURNAMES = [
  ...'张王李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const VILLAGE_SUFFIXES = '庄 屯 营 集 寨 楼 洼 湾 岗 店 桥 庙 河 坡 家村 沟 园 堂'.split(' ');
const PLACE_WORDS = '前进 红星 杨树沟 五里铺 三官庙 柳河 大王庄 十里铺 东风 新华'.split(' ');

/** Village names such as 张庄, 刘家村, 五里铺; unique within the caller's set. */
export function villageName(rng: Rng, used: Set<string>): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const name = rng.chance(0.08)
      ? rng.pick(PLACE_WORDS)
      : rng.pick(VILLAGE_SURNAMES) + rng.pick(VILLAGE_SUFFIXES);
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  // The pools hold ~1,800 names; only huge townships get here.
  const name = `${rng.pick(VILLAGE_SURNAMES)}${rng.pick(VILLAGE_SUFFIXES)}${used.size}`;
  used.add(name);
  return name;
}

/** Brand-like names private schools choose (育才, 博雅 …). */
export const PRIVATE_WORDS = '育才 博雅 英才 明德 启航 华英 新星 卓越 致远 崇文 求真 弘毅'.split(
  ' ',
);
/** Named public schools in the city. */
export const CITY_WORDS = ['实验', '育英', '东方红', '解放路', '人民路', '文昌', '建设路', '光明'];

const DIGITS = '零一二三四五六七八九';

/** 1 → 一, 12 → 十二, 105 → 一百零五: ordinals in school names (第十二小学). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10] : '');
  if (n < 100) return (DIGITS[Math.floor(n / 10)] ?? '') + '十' + (n % 10 ? DIGITS[n % 10] : '');
  if (n < 1000) {
    const rest = n % 100;
    const head = (DIGITS[Math.floor(n / 100)] ?? '') + '百';
    if (rest === 0) return head;
    return (
      head +
      (rest < 10
        ? '零' + DIGITS[rest]
        : rest < 20
          ? '一' + chineseNumber(rest)
          : chineseNumber(rest))
    );
  }
  return String(n);
}

const SURNAMES = [
  ...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段',
];
const GIVEN_CHARS = [
  ...'建国华明丽芳军红伟英玉兰秀敏静霞刚勇强磊洋艳娟燕志文海峰鹏辉超杰涛斌波飞宇浩然晓亮雪梅春桂凤珍云平新利东林彬佳琳婷慧颖',
];

/**
 * Thirty real-sounding names for the default inspectors (督学 are usually senior
 * teachers and retired principals, hence the older-generation given names).
 */
export const INSPECTOR_NAMES: readonly string[] = [
  '王建国 李秀英 张国华 刘玉兰 陈志强 杨红梅 赵卫东 黄淑芬 周文斌 吴春燕',
  '徐立新 孙桂芝 马德胜 朱丽萍 胡海峰 郭淑珍 何永刚 高凤英 林振华 罗素琴',
  '郑学军 梁玉珍 宋金海 谢晓红 韩光明 唐慧敏 冯志勇 董雪梅 程建平 曹秀兰',
]
  .join(' ')
  .split(' ');

/** A personal name not yet in `used`: two- or three-character, as on a signature line. */
export function personName(rng: Rng, used?: Set<string>): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const given = rng.chance(0.25)
      ? rng.pick(GIVEN_CHARS)
      : rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS);
    const name = rng.pick(SURNAMES) + given;
    if (!used || !used.has(name)) {
      used?.add(name);
      return name;
    }
  }
  const name = rng.pick(SURNAMES) + rng.pick(GIVEN_CHARS) + chineseNumber((used?.size ?? 0) % 10);
  used?.add(name);
  return name;
}
