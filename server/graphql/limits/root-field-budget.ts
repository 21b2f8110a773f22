/**
 * A budget of warehouse questions per operation. Armor's cost limit weighs the shape of
 * a query, not what a root field costs in the warehouse: fifteen aliased 60-month trends
 * are cheap by shape but each runs four aggregate queries. So every root field except
 * `me` and `__typename` counts one, fragments included, and an operation may ask at most
 * `max` of them.
 */
import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';

const FREE = new Set(['me', '__typename', '__schema', '__type']);

export function rootFieldBudget(max: number): ValidationRule {
  return (context) => {
    const count = (set: SelectionSetNode, seen: Set<string>): number => {
      let n = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) n += FREE.has(selection.name.value) ? 0 : 1;
        else if (selection.kind === Kind.INLINE_FRAGMENT) n += count(selection.selectionSet, seen);
        else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = context.getFragment(selection.name.value);
          if (fragment) n += count(fragment.selectionSet, seen);
        }
      }
      return n;
    };
    return {
      OperationDefinition(node) {
        const n = count(node.selectionSet, new Set());
        if (n > max)
          context.reportError(
            new GraphQLError(
              `查询过多：每次最多 ${max} 个数据字段 / Query cost limit: at most ${max} data root fields per operation (got ${n})`,
              { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
            ),
          );
      },
    };
  };
}
