import type { Migration } from '../migrate.ts';
import { initialWarehouse } from './0001_initial.ts';

export const migrations: readonly Migration[] = [initialWarehouse];
