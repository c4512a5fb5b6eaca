// The published JSON Schema is generated from schema.ts and must not go stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { servicesJsonSchema, servicesJsonSchemaText } from './json-schema.js';
import { serviceSchema } from './schema.js';

const file = new URL('../../schema/services.schema.json', import.meta.url);

describe('schema/services.schema.json', () => {
  it('matches the schema source (regenerate with `npm run schema`)', () => {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // a missing file is stale too
    }
    expect(current === servicesJsonSchemaText(), 'schema/services.schema.json is stale: run `npm run schema` and commit the result').toBe(true);
  });

  it('is draft-07 with closed objects and a description on every service key', () => {
    const schema = servicesJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      properties: { services: { additionalProperties: { additionalProperties: boolean; properties: Record<string, { description?: string }> } } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    const service = schema.properties.services.additionalProperties;
    expect(service.additionalProperties).toBe(false);
    expect(Object.keys(service.properties)).toEqual(Object.keys(serviceSchema.props));
    for (const [key, prop] of Object.entries(service.properties)) expect(prop.description, key).toBeTruthy();
  });
});

// A checker for the subset of draft-07 the generator emits, to prove the valid fixtures pass the
// published schema (what an editor does) and typed mistakes fail it.
type S = Record<string, unknown>;
function conforms(schema: S, v: unknown): boolean {
  const t = schema.type;
  if (t !== undefined) {
    const types = Array.isArray(t) ? (t as string[]) : [t as string];
    const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
    if (!types.some((x) => x === actual || (x === 'number' && actual === 'integer') || (x === 'object' && actual === 'object'))) return false;
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(v)) return false;
  if (typeof v === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(v)) return false;
  if (typeof v === 'number' && ((schema.minimum !== undefined && v < (schema.minimum as number)) || (schema.maximum !== undefined && v > (schema.maximum as number)))) return false;
  if (schema.anyOf && !(schema.anyOf as S[]).some((s) => conforms(s, v))) return false;
  if (schema.oneOf && (schema.oneOf as S[]).filter((s) => conforms(s, v)).length !== 1) return false;
  if (Array.isArray(v) && schema.items && !v.every((x) => conforms(schema.items as S, x))) return false;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in o)) return false;
    for (const [k, x] of Object.entries(o)) {
      const names = schema.propertyNames as S | undefined;
      if (names && !conforms(names, k)) return false;
      const prop = (schema.properties as Record<string, S> | undefined)?.[k];
      const patterned = Object.entries((schema.patternProperties as Record<string, S> | undefined) ?? {}).find(([p]) => new RegExp(p).test(k));
      if (prop) {
        if (!conforms(prop, x)) return false;
      } else if (patterned) {
        if (!conforms(patterned[1], x)) return false;
      } else if (schema.additionalProperties === false) return false;
      else if (typeof schema.additionalProperties === 'object' && !conforms(schema.additionalProperties as S, x)) return false;
    }
  }
  return true;
}

describe('the JSON Schema agrees with the validator', () => {
  const root = new URL('../../test/fixtures/config/', import.meta.url);
  const read = (f: string) => parse(readFileSync(new URL(f, root), 'utf8'), { merge: true }) as unknown;
  const schema = servicesJsonSchema();

  it.each(['valid/minimal.yaml', 'valid/compose-style.yaml', 'valid/spec-example/services.yaml'])('accepts %s', (f) => {
    expect(conforms(schema, read(f))).toBe(true);
  });

  it.each(['broken/unknown-top-key.yaml', 'broken/unknown-service-key.yaml', 'broken/wrong-type.yaml', 'broken/bad-duration.yaml', 'broken/bad-restart.yaml', 'broken/bad-port-entry.yaml'])(
    'rejects %s',
    (f) => {
      expect(conforms(schema, read(f))).toBe(false);
    },
  );
});
