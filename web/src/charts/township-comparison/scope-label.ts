/**
 * How the page names the scope its figures are about, e.g. for the reference line of a
 * comparison: a township filter names the township; other filters make it "当前范围"; a
 * supervising inspector's unfiltered scope is their schools; everyone else sees 全区.
 */
import type { Role } from '../../api/__generated__/schema-types.ts';

export interface ScopeFilters {
  township: string | null;
  stage: string | null;
  locality: string | null;
}

export function scopeLabel(filters: ScopeFilters, role: Role | null | undefined): string {
  if (filters.township && !filters.stage && !filters.locality) return filters.township;
  if (filters.township || filters.stage || filters.locality) return '当前范围';
  return role === 'SUPERVISING_INSPECTOR' ? '挂牌学校' : '全区';
}
