/**
 * Password hashing (argon2id, OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane) and
 * the password policy the `users` command enforces.
 */
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
export const MIN_PASSWORD_LENGTH = 10;
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
  return null;
}
