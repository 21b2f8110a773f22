/**
 * Password hashing (argon2id, OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane) and
 * the password policy applied wherever a password is set (the `users` command, the demo
 * users): at least 12 characters and none of the 10,000 most common passwords.
 */
import { readFileSync } from 'node:fs';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum, which verbatimModuleSyntax forbids reading at run
// time; the literal typed as the enum member keeps the compiler checking its value.
const ARGON2ID: Algorithm.Argon2id = 2;

const ARGON2_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

/** Shortest password accepted, in characters (Unicode code points). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: hashing megabytes on request would be a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * An argon2id hash of a throw-away password, made with the same parameters. Verifying an
 * unknown username's attempt against it costs as much as a wrong password, so response
 * times do not reveal which usernames exist.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$P7gl5EkBsbu8QQtRiq4pig$gsviOwWw9JEjlBMDbJMbCRkH5BgMCUsT1tj+tuHGtBY';

/** The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) of `password`, random salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** True when `password` matches `passwordHash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spends the time of one verification and always answers false (unknown usernames). */
export async function verifyDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, password);
  return false;
}

let common: ReadonlySet<string> | undefined;

/**
 * The shipped list of the 10,000 most common passwords (common-passwords.txt: its header
 * names the source and licence), lower-cased, read once on first use.
 */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split(/\r?\n/u)
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );
  return common;
}

/**
 * True for a listed password in any letter case, and for one only padded with digits or
 * symbols: with 12 characters required, just 10 of the list's entries are long enough to
 * matter as they are, while "Password1234" is the classic way to meet a length rule.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const list = commonPasswords();
  return list.has(lower) || (core !== '' && list.has(core));
}

/** Null when `password` satisfies the policy, else a bilingual reason (never quoting it). */
export function passwordPolicyViolation(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符 / The password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return `密码最多 ${MAX_PASSWORD_LENGTH} 个字符 / The password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  }
  if (password.trim() === '') {
    return '密码不能全是空白 / The password must not be only spaces';
  }
  if (isCommonPassword(password)) {
    return '这是最常见的密码之一（或只在其前后加了数字、符号），请另选一个 / The password is one of the most common ones (or one with only digits or symbols added): choose another';
  }
  return null;
}
