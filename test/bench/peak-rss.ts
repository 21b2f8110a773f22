/**
 * Preloaded (`node --import tsx --import ./peak-rss.ts …`) into a timed process so the
 * benchmark learns its peak memory, which a parent cannot read from a child: on exit it
 * writes its peak resident set in MiB to the file KEHOU_BENCH_RSS_FILE names.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.KEHOU_BENCH_RSS_FILE;
if (out)
  process.on('exit', () => {
    writeFileSync(out, String(Math.round(process.resourceUsage().maxRSS / 1024)));
  });
