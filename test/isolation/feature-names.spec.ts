import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { PREMIUM_FEATURES } from '../../src/common/features/index.js';

/**
 * A premium feature's name is written once, in the registry; everything else derives its lists,
 * types and branches from there (or names one entry as `FEATURES.<name>`). A literal name outside
 * the registry is a list or a branch that the next feature would miss.
 */
const REGISTRY = 'src/common/features/feature-registry.ts';

type Finding = { file: string; line: number; kind: string; text: string };

/**
 * Where `source` spells a feature name: a string (or type) literal that is the name, a quoted
 * name inside a longer string (an SQL literal), or a property, field or enum member named after it.
 * Words inside longer strings (the `adaptive_paths` table in SQL) and `FEATURES.<name>` are not names.
 */
function featureNamesIn(file: string, source: string, names: readonly string[]): Finding[] {
  const wanted = new Set(names);
  const quoted = new RegExp(`['"](${names.join('|')})['"]`);
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const report = (node: ts.Node, kind: string) =>
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, kind, text: node.getText(sf) });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      const text = node.text;
      if (wanted.has(text)) report(node, 'literal');
      else if (quoted.test(text)) report(node, 'quoted in a string');
    } else if (
      (ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node) || ts.isPropertySignature(node) || ts.isEnumMember(node) || ts.isMethodDeclaration(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      wanted.has(node.name.text)
    ) {
      report(node.name, 'property name');
      // The name was reported; its value is still looked at.
      if ('initializer' in node && node.initializer) visit(node.initializer);
      return;
    } else if (ts.isShorthandPropertyAssignment(node) && wanted.has(node.name.text)) {
      report(node, 'property name');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => join(dir, f))
    .sort();
}

describe('premium feature names', () => {
  it('are written in src only in the registry', () => {
    const files = sourceFiles('src').filter((f) => f !== REGISTRY);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => featureNamesIn(f, readFileSync(f, 'utf8'), PREMIUM_FEATURES))).toEqual([]);
  });

  it('are in the registry, one entry each', () => {
    const entries = featureNamesIn(REGISTRY, readFileSync(REGISTRY, 'utf8'), PREMIUM_FEATURES);
    expect(entries.map((f) => `${f.kind} ${f.text}`)).toEqual(PREMIUM_FEATURES.map((name) => `property name ${name}`));
  });

  // Each of the ways a list or a branch gets hard-coded, written with every registry name.
  it.each(PREMIUM_FEATURES)('are found however %s is spelled', (name) => {
    const source = [
      `export type Feature = '${name}' | 'other';`,
      `export const LIST = ["${name}"];`,
      `export const isIt = (f: string) => f === \`${name}\`;`,
      `export const LIMITS = { ${name}: 10 };`,
      `export const QUOTED = { '${name}': 10 };`,
      `export class QuotaDto { ${name}!: number; }`,
      `export interface Quota { ${name}: number }`,
      `export enum Features { ${name} = 1 }`,
      `export const SQL = "SELECT '${name}' AS feature";`,
      `const ${name} = 1; export const SHORT = { ${name} };`,
    ].join('\n');
    expect(featureNamesIn('hard-coded.ts', source, PREMIUM_FEATURES).map((f) => [f.line, f.kind])).toEqual([
      [1, 'literal'],
      [2, 'literal'],
      [3, 'literal'],
      [4, 'property name'],
      [5, 'property name'],
      [6, 'property name'],
      [7, 'property name'],
      [8, 'property name'],
      [9, 'quoted in a string'],
      [10, 'property name'],
    ]);
  });

  it.each(PREMIUM_FEATURES)('are not confused with a table, a registry entry or a variable (%s)', (name) => {
    const source = [
      `const ${name} = 1;`,
      `export const SQL = 'SELECT count(*) FROM ${name} p WHERE p.x = $1';`,
      `declare const FEATURES: Record<string, { name: string }>;`,
      `export const NAME = FEATURES.${name}.name, USED = ${name};`,
      `// ${name} in a comment`,
    ].join('\n');
    expect(featureNamesIn('derived.ts', source, PREMIUM_FEATURES)).toEqual([]);
  });
});
