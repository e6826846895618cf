import { exampleFromSchema } from './schema-values.js';

describe('exampleFromSchema', () => {
  it('follows $ref into $defs and definitions, including the root', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { $ref: '#/definitions/name' },
        b: { $ref: '#/$defs/count' },
        child: { anyOf: [{ type: 'null' }, { $ref: '#' }] },
      },
      required: ['a', 'b', 'child'],
      definitions: { name: { type: 'string', const: 'fixed' } },
      $defs: { count: { type: 'integer', exclusiveMinimum: 10, maximum: 20 } },
    };
    expect(exampleFromSchema(schema)).toEqual({ a: 'fixed', b: 11, child: null });
  });

  it('ends recursive structures through empty arrays and null variants', () => {
    const tree = {
      type: 'object',
      properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['label', 'children'],
    };
    type Node = { children: Node[] };
    let depth = 0;
    for (let node = exampleFromSchema(tree) as Node; node.children[0]; node = node.children[0]) depth++;
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThan(20);
  });

  it('handles nullable types, oneOf, allOf, array bounds, string constraints and numbers', () => {
    const schema = {
      type: 'object',
      properties: {
        nullable: { type: ['string', 'null'] },
        onlyNull: { type: 'null' },
        oneOf: { oneOf: [{ type: 'boolean' }, { type: 'string' }] },
        allOf: { allOf: [{ type: 'object', properties: { x: { type: 'number' } } }, { properties: { y: { enum: ['q', 'r'] } } }] },
        three: { type: 'array', items: { type: 'integer', minimum: -5, maximum: -2 }, minItems: 3, maxItems: 4 },
        none: { type: 'array', items: { type: 'string' }, maxItems: 0 },
        short: { type: 'string', maxLength: 3 },
        long: { type: 'string', minLength: 10 },
        date: { type: 'string', format: 'date' },
        code: { type: 'string', pattern: '^[0-9]+$' },
        half: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        step: { type: 'number', minimum: 7, multipleOf: 5 },
      },
    };
    expect(exampleFromSchema(schema)).toEqual({
      nullable: 'example',
      onlyNull: null,
      oneOf: true,
      allOf: { x: 1, y: 'q' },
      three: [-2, -2, -2],
      none: [],
      short: 'abc',
      long: 'xxxxxxxxxx',
      date: '2026-11-02',
      code: '0',
      half: 0.5,
      step: 10,
    });
  });
});
