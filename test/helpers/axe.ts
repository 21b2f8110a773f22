/**
 * axe-core's WCAG 2.1 AA check in a browser page. The dashboard's CSP forbids inline
 * scripts, so axe goes in as an init script (the DevTools protocol, not the page, runs it)
 * and is called through a function: the check sees the page exactly as it is served.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** CSS selectors of the offending elements (at most five) and why each fails. */
  nodes: { target: string; summary: string }[];
}

/** Makes axe available on every page this context opens from now on. */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE });
}

interface AxeResultsInPage {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}

/** Runs in the page: axe over the whole document, WCAG 2.1 A and AA rules only. */
const runAxeInPage = async (tags: readonly string[]): Promise<AxeViolation[]> => {
  const g = globalThis as unknown as {
    axe?: {
      run(
        context: unknown,
        options: { runOnly: { type: 'tag'; values: string[] }; resultTypes: string[] },
      ): Promise<AxeResultsInPage>;
    };
    document: unknown;
  };
  if (!g.axe) throw new Error('axe-core is not loaded: call installAxe(context) first');
  const results = await g.axe.run(g.document, {
    runOnly: { type: 'tag', values: [...tags] },
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({
      target: n.target.map(String).join(' '),
      summary: (n.failureSummary ?? '').replace(/\s+/gu, ' ').slice(0, 300),
    })),
  }));
};

/** Every WCAG 2.1 AA violation on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  return page.evaluate(runAxeInPage, WCAG_21_AA);
}

/** The violations that block people: serious and critical (what the tests fail on). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}
