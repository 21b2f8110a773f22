/** Who runs a command, for audit rows and `loaded_by` (never trusted for permissions). */
import { userInfo } from 'node:os';

export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment is all there is.
    return process.env.USER ?? 'unknown';
  }
}
