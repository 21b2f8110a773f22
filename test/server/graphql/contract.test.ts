/**
 * The schema holds every type, field, argument and enum value of the shared contract
 * (../shared/api-contract.graphql) with the same types; additions are allowed only where
 * they cannot break a client (new arguments must be optional).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
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

const contract = buildSchema(
  readFileSync(resolve(import.meta.dirname, '../../../../shared/api-contract.graphql'), 'utf8'),
);
const sdl = loadTypeDefs().join('\n');

function userTypes(schema: typeof contract): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
}

function mismatches(ours: typeof contract): string[] {
  const out: string[] = [];
  for (const type of userTypes(contract)) {
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
          else if (String(myArg.type) !== String(arg.type))
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
