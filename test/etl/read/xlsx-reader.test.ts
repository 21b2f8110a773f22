/**
 * The reader's row stream waits for its consumer: while a batch is not taken, no more of
 * the sheet is inflated or parsed (run in this thread, without the worker).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxLimits } from '../../../etl/read/xlsx-limits.ts';
import { streamRows, type RowBatch } from '../../../etl/read/xlsx-reader.ts';
import { sheetRows, workbookParts, writeZip } from './zip-builder.ts';

let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-reader-test-'));
  path = join(dir, 'rows.xlsx');
  await writeZip(path, workbookParts([{ name: 'S', body: sheetRows(50_000, 3) }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamRows', () => {
  it('stops reading while the consumer holds a batch, and goes on when it takes it', async () => {
    const batches: RowBatch[] = [];
    let release: () => void = () => undefined;
    let gate: Promise<void> | null = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const reading = streamRows(
      path,
      xlsxLimits(),
      [{ sheet: 0, afterRow: 0 }],
      1_000,
      async (b) => {
        batches.push(b);
        if (gate) await gate;
      },
    ).then(() => (finished = true));
    while (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One batch handed over (a batch may hold the rows of one whole inflated chunk).
    expect(batches.length).toBe(1);
    expect(finished).toBe(false);
    gate = null;
    release();
    await reading;
    expect(batches.reduce((n, b) => n + b.rows.length, 0)).toBe(50_000);
    expect(batches.flatMap((b) => b.rows.map((r) => r.row)).slice(-1)).toEqual([50_000]);
  });
});
