/**
 * The schema holds every type, field, argument and enum value of the shared contract
 * (../shared/api-contract.graphql, and its additions for periods and the evaluation in
 * ../shared/api-contract-periods.graphql) with the same types; additions are allowed only
 * where they cannot break a client (new arguments must be optional).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildASTSchema,
  buildSchema,
  isTypeDefinitionNode,
  parse,
  print,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../../server/graphql/schema.ts';

const shared = (name: string) =>
  readFileSync(resolve(import.meta.dirname, '../../../../shared', name), 'utf8');
const contract = buildSchema(shared('api-contract.graphql'));
/**
 * The periods contract restates the types it extends (Overview, Query, Mutation) with only
 * the new names and refers to the base contract's types (ScopeInput); it is checked on its
 * own, with the base definitions of the types it names but does not define.
 */
function periodsContractSchema(): GraphQLSchema {
  const periods = parse(shared('api-contract-periods.graphql'));
  const defined = new Set(
    periods.definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])),
  );
  const borrowed = parse(shared('api-contract.graphql')).definitions.filter(
    (d) =>
      isTypeDefinitionNode(d) &&
      !defined.has(d.name.value) &&
      print(periods).includes(d.name.value),
  );
  return buildASTSchema({ ...periods, definitions: [...periods.definitions, ...borrowed] });
}
const periodsContract = periodsContractSchema();
const sdl = loadTypeDefs().join('\n');

function userTypes(schema: typeof contract): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
}

/**
 * The type the periods contract gives an argument it restates (overview's `month` becomes
 * optional there), which supersedes the base contract's; undefined otherwise.
 */
function restated(
  against: typeof contract,
  type: string,
  field: string,
  arg: string,
): string | undefined {
  if (against !== contract) return undefined;
  const restatedType = periodsContract.getType(type);
  if (!isObjectType(restatedType)) return undefined;
  const a = restatedType.getFields()[field]?.args.find((x) => x.name === arg);
  return a ? String(a.type) : undefined;
}

function mismatches(ours: typeof contract, against: typeof contract = contract): string[] {
  const out: string[] = [];
  for (const type of userTypes(against)) {
    const mine = ours.getType(type.name);
    if (!mine) {
      out.push(`missing type ${type.name}`);
      continue;
    }
    if (mine.constructor !== type.constructor) out.push(`${type.name}: different kind`);
    if (isEnumType(type) && isEnumType(mine)) {
      const values = new Set(mine.getValues().map((v) => v.name));
      for (const v of type.getValues())
        if (!values.has(v.name)) out.push(`${type.name}.${v.name} missing`);
    }
    if (
      (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) &&
      'getFields' in mine
    ) {
      const fields = (mine as typeof type).getFields();
      for (const [name, field] of Object.entries(type.getFields())) {
        const myField = fields[name];
        if (!myField) {
          out.push(`${type.name}.${name} missing`);
          continue;
        }
        if (String(myField.type) !== String(field.type))
          out.push(
            `${type.name}.${name}: ${String(myField.type)} instead of ${String(field.type)}`,
          );
        if (!('args' in field) || !('args' in myField)) continue;
        const args = new Map((myField.args as readonly GraphQLArgument[]).map((a) => [a.name, a]));
        for (const arg of field.args as readonly GraphQLArgument[]) {
          const myArg = args.get(arg.name);
          if (!myArg) out.push(`${type.name}.${name}(${arg.name}) missing`);
          else if (
            String(myArg.type) !== String(arg.type) &&
            String(myArg.type) !== restated(against, type.name, name, arg.name)
          )
            out.push(
              `${type.name}.${name}(${arg.name}): ${String(myArg.type)} instead of ${String(arg.type)}`,
            );
          else if (arg.defaultValue !== myArg.defaultValue)
            out.push(
              `${type.name}.${name}(${arg.name}): default ${String(myArg.defaultValue)} instead of ${String(arg.defaultValue)}`,
            );
          args.delete(arg.name);
        }
        for (const extra of args.values())
          if (isNonNullType(extra.type) && extra.defaultValue === undefined)
            out.push(`${type.name}.${name}(${extra.name}): a new required argument breaks clients`);
      }
    }
  }
  return out;
}

describe('the schema against the shared contract', () => {
  it('contains every contract type, field, argument and enum value unchanged', () => {
    expect(mismatches(buildSchema(sdl))).toEqual([]);
  });

  it('contains every name of the periods and evaluation contract unchanged', () => {
    expect(mismatches(buildSchema(sdl), periodsContract)).toEqual([]);
  });

  it('notices a missing field or a changed type', () => {
    const missing = sdl.replace('  participants: Int\n  rate: Float', '  rate: Float');
    expect(mismatches(buildSchema(missing))).toEqual(['PriorityGroupStat.participants missing']);
    const changed = sdl.replace(
      '  participants: Int\n  rate: Float',
      '  participants: Float\n  rate: Float',
    );
    expect(mismatches(buildSchema(changed))).toEqual([
      'PriorityGroupStat.participants: Float instead of Int',
    ]);
  });
});
