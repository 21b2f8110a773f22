import { describe, expect, it } from 'vitest';
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
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

describe('passwordPolicyViolation', () => {
  it('accepts 10 characters and refuses 9, counting Chinese characters as one each', () => {
    expect(passwordPolicyViolation('abcdefghij')).toBeNull();
    expect(passwordPolicyViolation('abcdefghi')).toBe(
      '密码至少需要 10 个字符 / The password must have at least 10 characters',
    );
    expect(passwordPolicyViolation('课后督导课后督导课后')).toBeNull();
    expect(passwordPolicyViolation('课后督导课后督导课')).not.toBeNull();
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
