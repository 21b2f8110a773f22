/**
 * The fixture district (test/fixtures/api) served over HTTP by the real app, with the
 * built dashboard (web/dist, built by test/setup/build-web.ts) and one user per role.
 * Browser tests sign in through the sign-in page like a person would.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../server/auth/auth-config.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';
import type { Role } from '../../server/db/tables/users.table.ts';
import { WarehouseWriter } from '../../server/db/writer.ts';
import { insertUser } from '../../server/graphql/users/users.repository.ts';
import { createApp, type AppDeps } from '../../server/http/app.ts';
import { exitCode, loadPaths } from '../../etl/index.ts';
import { loadPolicy } from '../../server/policy/policy.ts';
import {
  API_FIXTURE_POLICY,
  API_FIXTURES,
  FIXTURE_LOADED_AT,
  storeFixturePolicy,
} from './api-fixture.ts';
import { newPage, signInAs } from './browser.ts';
import { localServerConfig } from './local-server.ts';

/** Test-only password of every fixture user (never a real one). */
export const WEB_PASSWORD = 'fixture-only-password';

/** Users of the fixture district: dx01 is 督学 DX01 (东城镇's schools in the fixture). */
export const WEB_USERS = {
  bureau: { username: 'bureau', name: '督导科王老师', role: 'BUREAU_INSPECTOR', inspectorId: null },
  leader: { username: 'leader', name: '李局长', role: 'LEADERSHIP', inspectorId: null },
  dx01: { username: 'dx01', name: '张督学', role: 'SUPERVISING_INSPECTOR', inspectorId: 'DX01' },
  /** 学校填报员 of 1000000002 (东城村小). */
  school: {
    username: 'school02',
    name: '东城村小教务处',
    role: 'SCHOOL_REPORTER',
    inspectorId: null,
    schoolCode: '1000000002',
  },
  /** 学区审核员 of 东城镇. */
  township: {
    username: 'dongcheng',
    name: '东城学区赵老师',
    role: 'TOWNSHIP_REVIEWER',
    inspectorId: null,
    township: '东城镇',
  },
} as const satisfies Record<
  string,
  {
    username: string;
    name: string;
    role: Role;
    inspectorId: string | null;
    schoolCode?: string;
    township?: string;
  }
>;

export interface WebFixture {
  url: string;
  warehouse: Warehouse;
  /** The server's writer, for a test that seeds rows (e.g. data doubts) behind the app. */
  writer: WarehouseWriter;
  close(): Promise<void>;
}

export interface WebFixtureOptions {
  now?: Date;
  /** Runs inside each upload's load transaction just before its commit (pause an upload). */
  uploadBeforeCommit?: AppDeps['uploadBeforeCommit'];
}

export async function openWebFixture(options: WebFixtureOptions = {}): Promise<WebFixture> {
  const warehouse = await openWarehouse(':memory:');
  await storeFixturePolicy(warehouse);
  const summary = await loadPaths(warehouse, [API_FIXTURES], {
    user: 'test',
    now: FIXTURE_LOADED_AT,
  });
  if (exitCode(summary) !== 0) throw new Error('fixture load failed');
  const writer = await WarehouseWriter.open(warehouse);
  const passwordHash = await hashPassword(WEB_PASSWORD);
  await writer.write(async ({ db }) => {
    for (const user of Object.values(WEB_USERS))
      await insertUser(db, {
        username: user.username,
        displayName: user.name,
        role: user.role,
        inspectorId: user.inspectorId,
        schoolCode: 'schoolCode' in user ? user.schoolCode : null,
        township: 'township' in user ? user.township : null,
        passwordHash,
      });
  });
  const log = pino({ level: process.env.KEHOU_TEST_LOG ?? 'silent' });
  const config = localServerConfig(':memory:', {
    maxUploadBytes: 10 * 2 ** 20,
    maxUploadFiles: 50,
    maxEvidenceBytes: 10 * 1024 * 1024,
    maxEvidencePerOwner: 20,
  });
  // Generous sign-in limits: the suite signs in many times from one address.
  const auth: AuthConfig = {
    ...DEFAULT_AUTH_CONFIG,
    secureCookies: false,
    loginRatePerMinute: 1000,
  };
  const httpServer: Server = createServer();
  const { app, apollo } = await createApp({
    warehouse,
    writer,
    config,
    auth,
    log,
    httpServer,
    policy: process.env.KEHOU_POLICY ? loadPolicy() : loadPolicy(API_FIXTURE_POLICY),
    ...(options.now ? { now: () => options.now! } : {}),
    ...(options.uploadBeforeCommit ? { uploadBeforeCommit: options.uploadBeforeCommit } : {}),
  });
  httpServer.on('request', app);
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  return {
    url,
    warehouse,
    writer,
    async close() {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop();
      await writer.close();
      await warehouse.close();
    },
  };
}

/** A fresh page signed in as a fixture user at `path`, the page's clock installed at `now`. */
export async function openPageAs(
  browser: Browser,
  fixture: WebFixture,
  user: keyof typeof WEB_USERS,
  path: string,
  now: Date,
): Promise<Page> {
  const page = await newPage(browser);
  page.setDefaultTimeout(20_000);
  await page.clock.install({ time: now });
  await signInAs(page, fixture.url, WEB_USERS[user].username, WEB_PASSWORD, path);
  return page;
}
