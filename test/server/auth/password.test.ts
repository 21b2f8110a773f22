import { describe, expect, it } from 'vitest';
import {
  commonPasswords,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  isCommonPassword,
  passwordPolicyViolation,
  verifyDummy,
  verifyPassword,
} from '../../../server/auth/password.ts';

describe('hashPassword', () => {
  it('produces an argon2id PHC string with the OWASP parameters and a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/u);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse battery');
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
  });

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever password')).toBe(false);
  });
});

describe('DUMMY_PASSWORD_HASH', () => {
  it('uses the same parameters as real hashes, so it costs the same to verify', async () => {
    const real = await hashPassword('x');
    const params = (h: string) => h.split('$').slice(1, 4).join('$');
    expect(params(DUMMY_PASSWORD_HASH)).toBe(params(real));
    expect(params(DUMMY_PASSWORD_HASH)).toBe('argon2id$v=19$m=19456,t=2,p=1');
  });

  it('makes verifyDummy answer false after a real verification', async () => {
    expect(await verifyDummy('kehou-dummy-password-not-used')).toBe(false);
    expect(await verifyPassword(DUMMY_PASSWORD_HASH, 'kehou-dummy-password-not-used')).toBe(true);
  });
});

const COMMON =
  '这是最常见的密码之一（或只在其前后加了数字、符号），请另选一个 / The password is one of the most common ones (or one with only digits or symbols added): choose another';

describe('passwordPolicyViolation', () => {
  it('accepts 12 characters and refuses 11, counting Chinese characters as one each', () => {
    expect(passwordPolicyViolation('abcdefghijkl')).toBeNull();
    expect(passwordPolicyViolation('abcdefghijk')).toBe(
      '密码至少需要 12 个字符 / The password must have at least 12 characters',
    );
    expect(passwordPolicyViolation('课后督导课后督导课后服务')).toBeNull();
    expect(passwordPolicyViolation('课后督导课后督导课后服')).not.toBeNull();
  });

  it('refuses a listed password in any case, and one only padded with digits or symbols', () => {
    expect(passwordPolicyViolation('unbelievable')).toBe(COMMON);
    expect(passwordPolicyViolation('UnBelievABLE')).toBe(COMMON);
    expect(passwordPolicyViolation('password1234')).toBe(COMMON);
    expect(passwordPolicyViolation('PassWord1234')).toBe(COMMON);
    expect(passwordPolicyViolation('!!Dragon2024!!')).toBe(COMMON);
    // A listed word inside a longer phrase is fine.
    expect(passwordPolicyViolation('dragon-fruit-2024')).toBeNull();
    expect(passwordPolicyViolation('Kehou-correct-horse-7')).toBeNull();
  });

  it('refuses passwords over 256 characters and all-space passwords', () => {
    expect(passwordPolicyViolation('a'.repeat(256))).toBeNull();
    expect(passwordPolicyViolation('a'.repeat(257))).toBe(
      '密码最多 256 个字符 / The password must have at most 256 characters',
    );
    expect(passwordPolicyViolation(' '.repeat(12))).toBe(
      '密码不能全是空白 / The password must not be only spaces',
    );
  });
});

describe('commonPasswords', () => {
  it('holds the 10,000 shipped passwords, lower-cased, without the header comments', () => {
    const list = commonPasswords();
    expect(list.size).toBe(10_000);
    expect(list.has('password')).toBe(true);
    expect(list.has('eyphed')).toBe(true); // the last line
    expect([...list].some((p) => p.startsWith('#') || p !== p.toLowerCase())).toBe(false);
    expect(commonPasswords()).toBe(list); // read once
  });

  it('isCommonPassword ignores case but not inner changes', () => {
    expect(isCommonPassword('QWERTY')).toBe(true);
    expect(isCommonPassword('123456')).toBe(true);
    expect(isCommonPassword('qwerty-uiop-asdf')).toBe(false);
  });
});
