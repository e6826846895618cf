/**
 * The table ownership rule (DESIGN.md: each table has one owning module, which alone reads and
 * writes it; STYLE.md: through its own repositories). A scan of the TypeScript sources, not a
 * convention: SQL text in string and template literals, TypeORM query-builder table names and
 * entity repositories, each checked against the owner map below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Every table of migrations/, and the top-level folder of src that owns it. */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  students: 'core',
  chapters: 'core',
  quizzes: 'core',
  quiz_questions: 'core',
  quiz_results: 'core',
  course_sections: 'core',
  glossary_terms: 'core',
  llm_usage_logs: 'usage',
  premium_requests: 'usage',
  premium_usage_quotas: 'usage',
  premium_quota_holds: 'usage',
  feature_flags: 'flags',
  feature_flag_audit: 'flags',
  adaptive_paths: 'premium',
  tutor_conversations: 'premium',
  tutor_turns: 'premium',
  adaptive_path_builds: 'premium',
  assessment_questions: 'premium',
  assessment_submissions: 'premium',
  assessment_feedback: 'premium',
  grading_batches: 'premium',
  study_materials: 'premium',
  study_material_builds: 'premium',
  study_practice_sessions: 'premium',
  study_practice_attempts: 'premium',
  llm_alerts: 'admin',
  subscription_audit: 'admin',
};

/** Schemas a library manages for a module (pg-boss keeps the grading queue in its own schema). */
export const SCHEMA_OWNERS: Readonly<Record<string, string>> = { pgboss: 'premium' };

export type TableFinding = {
  /** Relative to the scanned root, with forward slashes. */
  file: string;
  table: string;
  problem: 'another module owns it' | 'outside a repository';
};

/** A table name after the SQL keywords that name one (case-insensitive; optional quotes and schema). */
const SQL_TABLE = /\b(?:from|join|into|update|table|truncate)\s+(?:only\s+)?(?:if\s+(?:not\s+)?exists\s+)?"?([a-z_][a-z0-9_]*)"?(?:\."?([a-z_][a-z0-9_]*)"?)?/gi;
/** Query-builder and entity-manager methods whose first argument names a table or an entity. */
const BUILDER_TABLE = new Set(['from', 'into', 'join', 'leftJoin', 'innerJoin', 'leftJoinAndSelect', 'innerJoinAndSelect', 'update', 'delete', 'insertInto']);
const ENTITY_ACCESS = new Set(['getRepository', 'InjectRepository', 'find', 'findOne', 'findOneBy', 'findBy', 'findAndCount', 'count', 'save', 'insert', 'update', 'upsert', 'delete', 'remove', 'createQueryBuilder', 'exists', 'existsBy']);

export const isRepositoryFile = (file: string): boolean => file.endsWith('.repository.ts');

function ownerOf(reference: { name: string; schema?: string }): string | undefined {
  return reference.schema ? SCHEMA_OWNERS[reference.schema.toLowerCase()] : TABLE_OWNERS[reference.name.toLowerCase()];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text of a string or template literal (template holes as a placeholder), or undefined. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ? ');
  return undefined;
}

function tablesInSql(text: string): { name: string; schema?: string }[] {
  // public is the default schema: public.students is students.
  return [...text.matchAll(SQL_TABLE)].map((m) => (m[2] && m[1]!.toLowerCase() !== 'public' ? { name: m[2], schema: m[1]! } : { name: m[2] ?? m[1]! }));
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Entity class name -> table, from `@Entity({ name: 'table' })` anywhere under the root. */
function entityTables(files: { path: string; source: ts.SourceFile }[]): Map<string, string> {
  const tables = new Map<string, string>();
  for (const { source } of files) {
    source.forEachChild(function visit(node): void {
      if (ts.isClassDeclaration(node) && node.name) {
        for (const decorator of ts.getDecorators(node) ?? []) {
          const call = decorator.expression;
          if (!ts.isCallExpression(call) || calledName(call) !== 'Entity') continue;
          const [options] = call.arguments;
          const name =
            options && ts.isObjectLiteralExpression(options)
              ? options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'name')
              : undefined;
          const table = name ? literalText(name.initializer) : options ? literalText(options) : undefined;
          if (table) tables.set(node.name.text, table);
        }
      }
      node.forEachChild(visit);
    });
  }
  return tables;
}

/**
 * Every place under `root/src` that names a table outside a repository of the module that owns
 * it. Sorted; empty when the rule holds.
 */
export function tableOwnershipFindings(root: string): TableFinding[] {
  const srcDir = join(root, 'src');
  const files = sourceFiles(srcDir).map((path) => ({
    path,
    source: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true),
  }));
  const entities = entityTables(files);
  const findings = new Map<string, TableFinding>();

  for (const { path, source } of files) {
    const file = relative(root, path).split(sep).join('/');
    const module = relative(srcDir, path).split(sep)[0]!;
    const found = (reference: { name: string; schema?: string }) => {
      const owner = ownerOf(reference);
      if (!owner) return;
      const table = reference.schema ? `${reference.schema.toLowerCase()}.*` : reference.name.toLowerCase();
      const problem = owner !== module ? 'another module owns it' : isRepositoryFile(file) ? undefined : 'outside a repository';
      if (problem) findings.set(`${file}|${table}|${problem}`, { file, table, problem });
    };
    source.forEachChild(function visit(node): void {
      const text = literalText(node);
      if (text !== undefined) for (const reference of tablesInSql(text)) found(reference);
      if (ts.isCallExpression(node)) {
        const name = calledName(node);
        const [first] = node.arguments;
        if (name && first) {
          const literal = literalText(first);
          if (BUILDER_TABLE.has(name) && literal !== undefined && /^[a-z_][a-z0-9_]*$/i.test(literal)) found({ name: literal });
          if (ENTITY_ACCESS.has(name) && ts.isIdentifier(first) && entities.has(first.text)) found({ name: entities.get(first.text)! });
        }
      }
      node.forEachChild(visit);
    });
  }
  return [...findings.values()].sort((a, b) => `${a.file}|${a.table}`.localeCompare(`${b.file}|${b.table}`));
}

/** Tables created in `root/migrations` that the owner map does not name, and names it has that no migration creates. */
export function ownerMapProblems(root: string): { unowned: string[]; unknown: string[] } {
  const dir = join(root, 'migrations');
  const created = new Set(
    readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/CREATE TABLE\s+(?:IF NOT EXISTS\s+)?"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1]!.toLowerCase())),
  );
  return {
    unowned: [...created].filter((t) => !(t in TABLE_OWNERS)).sort(),
    unknown: Object.keys(TABLE_OWNERS).filter((t) => !created.has(t)).sort(),
  };
}
