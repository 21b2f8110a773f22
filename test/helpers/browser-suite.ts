/**
 * The frame most browser tests share: the fixture district served by the real app (with
 * the test's setup applied), one Chromium, and pages signed in as a fixture user with both
 * clocks at the test's "now". Registers its own beforeAll/afterAll.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { installAxe } from './axe.ts';
import { launchBrowser, newPage, signInAs } from './browser.ts';
import {
  openWebFixture,
  WEB_PASSWORD,
  WEB_USERS,
  type WebFixture,
  type WebFixtureOptions,
} from './web-fixture.ts';

export interface BrowserSuite {
  readonly fixture: WebFixture;
  readonly browser: Browser;
  /** A new page (own cookies) signed in as `user`, opened at `path`. */
  openAs(user: keyof typeof WEB_USERS, path: string, time?: Date): Promise<Page>;
}

export interface BrowserSuiteOptions {
  fixture?: Omit<WebFixtureOptions, 'now'>;
  /** Seeds rows behind the app before the browser starts. */
  setup?: (fixture: WebFixture) => Promise<void>;
  /** Inject axe-core into every page (accessibility checks). */
  axe?: boolean;
}

export function browserSuite(now: Date, options: BrowserSuiteOptions = {}): BrowserSuite {
  let fixture: WebFixture | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    fixture = await openWebFixture({ ...options.fixture, now });
    await options.setup?.(fixture);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('browser suite not started (use it inside a test)');
    return value;
  };
  return {
    get fixture() {
      return started(fixture);
    },
    get browser() {
      return started(browser);
    },
    async openAs(user, path, time = now) {
      const page = await newPage(started(browser));
      page.setDefaultTimeout(20_000);
      if (options.axe) await installAxe(page.context());
      await page.clock.install({ time });
      await signInAs(page, started(fixture).url, WEB_USERS[user].username, WEB_PASSWORD, path);
      return page;
    },
  };
}

/** expect.poll with room for a slow shared machine (sign-in, lazy view, then the queries). */
export function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000 });
}
