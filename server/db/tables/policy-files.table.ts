import type { Generated, Selectable } from 'kysely';

/** Policy files the warehouse has been judged by; the newest row is in force. */
export interface PolicyFilesTable {
  policy_id: Generated<number>;
  district: string;
  file_name: string;
  sha256: string;
  /** The file's text, so every flag's policy version can be read back exactly. */
  content: string;
  /** Comma-separated version ids, for listings. */
  versions: string;
  loaded_by: string;
  loaded_at: Generated<string | Date>;
}
export type PolicyFile = Selectable<PolicyFilesTable>;
