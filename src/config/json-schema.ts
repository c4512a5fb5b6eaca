// Turns the schema (schema.ts) into the JSON Schema published as schema/services.schema.json.
import { DURATION_PATTERN } from './duration.js';
import { projectSchema } from './schema.js';
import type { SchemaNode } from './schema-dsl.js';

/** A JSON Schema object. */
export type JsonSchema = { readonly [key: string]: unknown };

/** A string holding `${…}`: accepted wherever a typed value may come from interpolation. */
const INTERPOLATED: JsonSchema = { type: 'string', pattern: '\\$\\{', description: 'A value from ${VAR} interpolation.' };

/** The JSON Schema of one schema node. */
export function toJsonSchema(node: SchemaNode): JsonSchema {
  const d = node.description ? { description: node.description } : {};
  switch (node.kind) {
    case 'str':
      return { ...d, type: 'string', ...(node.pattern ? { anyOf: [{ pattern: node.pattern }, { pattern: '\\$\\{' }] } : {}) };
    case 'int': {
      const bounds = { ...(node.min !== undefined ? { minimum: node.min } : {}), ...(node.max !== undefined ? { maximum: node.max } : {}) };
      return { ...d, anyOf: [{ type: 'integer', ...bounds }, INTERPOLATED] };
    }
    case 'enum':
      return { ...d, anyOf: [{ enum: [...node.values] }, INTERPOLATED] };
    case 'duration':
      return { ...d, anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }, INTERPOLATED] };
    case 'scalar':
      return { ...d, type: ['string', 'number', 'boolean'] };
    case 'null':
      return { ...d, type: 'null' };
    case 'list':
      return { ...d, type: 'array', items: toJsonSchema(node.items) };
    case 'map':
      return {
        ...d,
        type: 'object',
        ...(node.keyPattern ? { propertyNames: { pattern: node.keyPattern } } : {}),
        additionalProperties: toJsonSchema(node.values),
      };
    case 'obj': {
      const properties: Record<string, JsonSchema> = {};
      for (const [k, v] of Object.entries(node.props)) properties[k] = toJsonSchema(v);
      return {
        ...d,
        type: 'object',
        properties,
        ...(node.required?.length ? { required: [...node.required] } : {}),
        ...(node.exactlyOne ? { oneOf: node.exactlyOne.map((k) => ({ required: [k] })) } : {}),
        ...(node.extensions ? { patternProperties: { '^x-': {} } } : {}),
        additionalProperties: false,
      };
    }
    case 'union':
      return { ...d, anyOf: node.anyOf.map(toJsonSchema) };
  }
}

/** The whole published JSON Schema document of services.yaml. */
export function servicesJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'msdev services.yaml',
    ...toJsonSchema(projectSchema),
  };
}

/** The text written to schema/services.schema.json. */
export function servicesJsonSchemaText(): string {
  return `${JSON.stringify(servicesJsonSchema(), null, 2)}\n`;
}
