import { asObject, isObject, numberOr, parseJson, type JsonObject } from './json.js';

/**
 * Values generated from a JSON schema: what the fake answers a structured-output request with
 * when no responder gives a value.
 */

const MAX_DEPTH = 8;

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2026-11-02T09:30:00Z',
  date: '2026-11-02',
  time: '09:30:00',
  duration: 'P1D',
  email: 'student@example.com',
  hostname: 'example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** Tried in order against a `pattern` the generator cannot invert. */
const PATTERN_CANDIDATES = ['example', 'abc', 'a', 'A', 'Example', 'EXAMPLE', '0', '1', '123', 'example-1', 'example_1', 'a1'];

/**
 * A deterministic value that satisfies `schema`: the first enum value or anyOf/oneOf variant, the
 * smallest allowed count of array items (at least one), every declared property, numbers as close
 * to 1 as the bounds allow. Also reads back the constraints the SDK's zod helper moves into
 * descriptions, so the value passes the original zod schema on the client.
 */
export function exampleFromSchema(root: JsonObject): unknown {
  const generate = (node: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH * 4) throw new Error('JSON schema is too deeply nested or recursive to generate a value');
    const schema = resolve(root, node);
    if (schema.const !== undefined) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (variants && variants.length > 0) {
      // Past the depth limit a null variant ends a recursive structure.
      const nullVariant = variants.find((v) => resolve(root, v).type === 'null');
      return generate(depth >= MAX_DEPTH && nullVariant ? nullVariant : variants[0], depth + 1);
    }
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      const { allOf, ...rest } = schema;
      return generate(mergeSchemas([rest, ...allOf.map((s) => resolve(root, s))]), depth + 1);
    }

    switch (typeOf(schema, depth)) {
      case 'object': {
        const properties = asObject(schema.properties);
        const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
        const value: JsonObject = {};
        for (const [key, property] of Object.entries(properties)) {
          if (depth < MAX_DEPTH || required.has(key)) value[key] = generate(property, depth + 1);
        }
        // Required keys without a property schema: whatever additionalProperties allows.
        const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : { type: 'string' };
        for (const key of required) if (!(key in value)) value[key] = generate(extra, depth + 1);
        return value;
      }
      case 'array': {
        const prefixItems = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
        const min = Math.max(numberOr(schema.minItems, 0), prefixItems.length);
        const max = numberOr(schema.maxItems, Infinity);
        const count = Math.min(depth < MAX_DEPTH ? Math.max(min, 1) : min, max);
        const items = isObject(schema.items) ? schema.items : {};
        return Array.from({ length: count }, (_, i) => generate(prefixItems[i] ?? items, depth + 1));
      }
      case 'string':
        return exampleString(schema);
      case 'integer':
        return exampleNumber(schema, true);
      case 'number':
        return exampleNumber(schema, false);
      case 'boolean':
        return true;
      default:
        // `null`, or an empty schema that accepts anything.
        return null;
    }
  };
  return generate(root, 0);
}

/** Follows `$ref`s and merges the constraints hidden in descriptions; the node's own keywords win. */
function resolve(root: JsonObject, node: unknown): JsonObject {
  let schema = withHoistedConstraints(asObject(node));
  for (let hops = 0; typeof schema.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref chain too long at ${schema.$ref}`);
    const { $ref, ...siblings } = schema;
    schema = { ...withHoistedConstraints(pointer(root, $ref)), ...siblings };
  }
  return schema;
}

function pointer(root: JsonObject, ref: string): JsonObject {
  if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported, got ${ref}`);
  let target: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    target = Array.isArray(target) ? target[Number(key)] : asObject(target)[key];
  }
  if (!isObject(target)) throw new Error(`$ref ${ref} does not point at a schema`);
  return target;
}

function mergeSchemas(schemas: JsonObject[]): JsonObject {
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  const required = new Set<string>();
  for (const schema of schemas) {
    Object.assign(merged, schema);
    Object.assign(properties, asObject(schema.properties));
    if (Array.isArray(schema.required)) for (const key of schema.required) required.add(String(key));
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function typeOf(schema: JsonObject, depth: number): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    // Nullable types (['string', 'null']) get a real value, until recursion has to stop.
    const concrete = type.filter((t) => t !== 'null');
    return depth >= MAX_DEPTH && type.includes('null') ? 'null' : (concrete[0] as string | undefined) ?? 'null';
  }
  if (schema.properties !== undefined || schema.required !== undefined) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

function exampleString(schema: JsonObject): string {
  const min = numberOr(schema.minLength, 0);
  const max = numberOr(schema.maxLength, Infinity);
  const formatted = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
  const pattern = compilePattern(schema.pattern);
  const candidates = [
    ...(formatted ? [formatted] : []),
    ...PATTERN_CANDIDATES,
    'x'.repeat(min),
    'a'.repeat(min),
    '0'.repeat(min),
  ];
  const fits = (s: string) => s.length >= min && s.length <= max && (pattern?.test(s) ?? true);
  const found = candidates.find(fits);
  if (found !== undefined) return found;
  // Pad or cut to length; a pattern none of the candidates meets stays unmet (use respondWith).
  const base = formatted ?? 'example';
  return base.length < min ? base + 'x'.repeat(min - base.length) : base.slice(0, max);
}

function compilePattern(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function exampleNumber(schema: JsonObject, integer: boolean): number {
  // Draft 4 spells exclusivity as a boolean beside minimum/maximum.
  const draft4Low = schema.exclusiveMinimum === true;
  const draft4High = schema.exclusiveMaximum === true;
  const min = draft4Low ? -Infinity : numberOr(schema.minimum, -Infinity);
  const max = draft4High ? Infinity : numberOr(schema.maximum, Infinity);
  const above = draft4Low ? numberOr(schema.minimum, -Infinity) : numberOr(schema.exclusiveMinimum, -Infinity);
  const below = draft4High ? numberOr(schema.maximum, Infinity) : numberOr(schema.exclusiveMaximum, Infinity);

  let low = Math.max(min, integer ? Math.floor(above) + 1 : above + 1);
  let high = Math.min(max, integer ? Math.ceil(below) - 1 : below - 1);
  if (integer) {
    low = Math.ceil(low);
    high = Math.floor(high);
  }
  let value = Math.min(Math.max(1, low), high);
  const multipleOf = numberOr(schema.multipleOf, 0);
  if (multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > high) value = Math.floor(high / multipleOf) * multipleOf;
    value = Number(value.toPrecision(12));
  }
  const inside = value >= min && value <= max && value > above && value < below;
  if (!integer && !inside) {
    // A narrow open interval: its midpoint is a value we can be sure of.
    value = (Math.max(min, above) + Math.min(max, below)) / 2;
  }
  return Number.isFinite(value) ? value : 0;
}

/**
 * The SDK's `transformJSONSchema` (used by `zodOutputFormat`) moves keywords the API does not
 * enforce — minimum, maxLength, maxItems, pattern… — into the description as `{key: json, …}`.
 * Reading them back keeps generated values valid for the zod schema the client parses with.
 */
function withHoistedConstraints(schema: JsonObject): JsonObject {
  if (typeof schema.description !== 'string') return schema;
  const hoisted = parseHoisted(schema.description.split('\n\n').at(-1)?.trim() ?? '');
  return hoisted ? { ...hoisted, ...schema } : schema;
}

function parseHoisted(text: string): JsonObject | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const end = text.length - 1;
  const out: JsonObject = {};
  let i = 1;
  while (i < end) {
    const colon = text.indexOf(': ', i);
    if (colon < 0) return undefined;
    const key = text.slice(i, colon);
    if (!/^[$\w-]+$/.test(key)) return undefined;
    const valueEnd = scanJsonValue(text, colon + 2, end);
    const value = parseJson(text.slice(colon + 2, valueEnd));
    if (value === undefined) return undefined;
    out[key] = value;
    i = valueEnd;
    if (text.startsWith(', ', i)) i += 2;
    else if (i !== end) return undefined;
  }
  return out;
}

/** Where the JSON value starting at `start` ends: the first top-level comma outside strings. */
function scanJsonValue(text: string, start: number, end: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) return i;
  }
  return end;
}
