/**
 * What a person would find in the browser's console: errors logged, uncaught exceptions,
 * requests that failed or were answered 4xx/5xx. Browser tests collect them per view and
 * expect none.
 */
import type { Page } from 'playwright-core';

export interface PageProblems {
  /** The problems since the last take(), emptied. */
  take(): string[];
}

export function watchProblems(page: Page): PageProblems {
  let problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation away cancels what the old view was still loading: not a fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    take() {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
}
