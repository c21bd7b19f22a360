// A kind's footprint counted by its words (a new kind should cost its own folder): the source files outside a kind's rooms whose
// code names any word the kind owns — the names its rooms export, the fields it puts on shared
// types, its input and manifest keys — or that import from its rooms. Comments are left out (the
// code is parsed by TypeScript itself), so a file that only mentions a kind in prose costs nothing,
// and a file that reads one of its fields or imports one of its tables costs one.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { ROOT, sourceFiles } from './source-files.js';

/**
 * A source parsed once: each measure reads every file of src/ for each kind and each probe (about
 * 500 files, some 15 times over), and the parse, not the reading, was the cost (kind-footprint took
 * a minute of CPU). Keyed by the text, so a probe's made-up text is parsed as its own.
 */
const parsed = new Map<string, ts.SourceFile>();
const sourceOf = (text: string): ts.SourceFile => {
  let source = parsed.get(text);
  if (source === undefined) {
    source = ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest, false);
    parsed.set(text, source);
  }
  return source;
};

/** What `read` makes of a text, worked out once per text. */
function once<T>(read: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (!known.has(text)) known.set(text, read(text));
    return known.get(text)!;
  };
}

/** The identifiers and string texts of a source, comments left out. */
export const codeWords = once((text: string): string[] => {
  const words: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) words.push(node.text);
    else if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    )
      words.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceOf(text));
  return words;
});

/** The modules a source imports, by the paths it writes. */
export const importedPaths = once((text: string): string[] =>
  sourceOf(text).statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier &&
    ts.isStringLiteral(s.moduleSpecifier)
      ? [s.moduleSpecifier.text]
      : [],
  ),
);

/** The names a source imports (or re-exports), each with the path it writes. */
export const importedNames = once((text: string): { name: string; from: string; reexport: boolean }[] =>
  sourceOf(text).statements.flatMap((s) => {
    if (!(ts.isImportDeclaration(s) || ts.isExportDeclaration(s))) return [];
    if (!s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) return [];
    const from = s.moduleSpecifier.text;
    const elements = ts.isImportDeclaration(s)
      ? s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings)
        ? s.importClause.namedBindings.elements
        : []
      : s.exportClause && ts.isNamedExports(s.exportClause)
        ? s.exportClause.elements
        : [];
    const reexport = ts.isExportDeclaration(s);
    return elements.map((e) => ({ name: (e.propertyName ?? e.name).text, from, reexport }));
  }),
);

/** The file of src/ an import path of `file` names, or undefined for a package. */
const resolved = (file: string, path: string): string | undefined =>
  path.startsWith('.') ? normalize(join(dirname(file), path)).replace(/\.js$/, '.ts') : undefined;

/** The names a source exports (functions, classes, constants, types, interfaces, enums). */
export const exportedNames = once((text: string): string[] => {
  const exported = (s: ts.Statement) =>
    ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return sourceOf(text).statements.flatMap((s) => {
    if (!exported(s)) return [];
    if (ts.isVariableStatement(s))
      return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isInterfaceDeclaration(s) ||
        ts.isTypeAliasDeclaration(s) ||
        ts.isEnumDeclaration(s)) &&
      s.name
    )
      return [s.name.text];
    return [];
  });
});

/** What a kind (or an effect) owns, and where it lives. */
export interface KindWords {
  /** Its rooms: files or folders (a trailing `/`) of src/. */
  rooms: readonly string[];
  /** The fields it puts on shared types, its input and manifest keys, the aliases tables give it. */
  words: readonly string[];
  /** Its names by pattern (a kind's string and its variants). */
  names?: RegExp;
  /** Imports that reach its rooms, by the path a source writes. */
  imports: RegExp;
  /** The files whose exports are its names, where they are fewer than its rooms (an effect lives in its kind's rooms). */
  exporting?: readonly string[];
}

const inRooms = (file: string, rooms: readonly string[]) => rooms.some((room) => file.startsWith(room));

/**
 * The source files outside a kind's rooms that name it, each with why: a word of its own anywhere
 * in its code, a name its rooms export imported from its rooms or from a module that re-exports it
 * from them, or any import from its rooms.
 */
export function filesNamingKind(
  kind: KindWords,
  files = sourceFiles('src', /\.ts$/),
  /** A file's text other than the repository's (a probe the tests make up); undefined: the file's own. */
  textOf: (file: string) => string | undefined = () => undefined,
): Map<string, string> {
  const words = new Set(kind.words);
  const texts = new Map(files.map((f) => [f, textOf(f) ?? readFileSync(join(ROOT, f), 'utf8')]));
  const exported = new Set<string>();
  for (const [file, text] of texts)
    if (inRooms(file, kind.exporting ?? kind.rooms)) for (const n of exportedNames(text)) exported.add(n);
  // The modules outside its rooms that re-export its names from them, and which.
  const passing = new Map<string, Set<string>>();
  for (const [file, text] of texts)
    for (const { name, from, reexport } of importedNames(text)) {
      const source = resolved(file, from);
      if (!reexport || !source || !inRooms(source, kind.rooms) || !exported.has(name)) continue;
      passing.set(file, new Set([...(passing.get(file) ?? []), name]));
    }
  const fromKind = (file: string, name: string, from: string) => {
    const source = resolved(file, from);
    if (source === undefined || !exported.has(name)) return false;
    return inRooms(source, kind.rooms) || (passing.get(source)?.has(name) ?? false);
  };
  const naming = new Map<string, string>();
  for (const file of files.filter((f) => !inRooms(f, kind.rooms))) {
    const text = texts.get(file)!;
    const word = codeWords(text).find((w) => words.has(w) || (kind.names?.test(w) ?? false));
    const name = importedNames(text).find(({ name, from }) => fromKind(file, name, from))?.name;
    const path = importedPaths(text).find((p) => kind.imports.test(p));
    const why =
      word ?? (name !== undefined ? `imports ${name}` : path !== undefined ? `import ${path}` : undefined);
    if (why !== undefined) naming.set(file, why);
  }
  return new Map([...naming].sort(([a], [b]) => a.localeCompare(b)));
}
