// A kind of access is one module (CONTRIBUTING.md, "Adding a kind of access"): its key, saved IDs,
// removal and words in src/core/kinds/, its input check in src/core/inputs/, its driver, reads and
// report rows in one room of its cloud's adapter; everything else reaches it through the tables that
// register every kind. The newest kind, the PIM eligibility, is the measure: the code (comments
// aside) names it in its own files and in the registries below, and nowhere else, so the next kind
// costs a module and a line in each registry.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT, sourceFiles } from './source-files.js';

/** The eligible kind's own files. */
const OWN = [
  'src/core/kinds/azure-pim-eligible.ts',
  'src/core/inputs/azure-eligible.ts',
  'src/azure/eligible/',
];

/** Where every kind is registered, and why the eligible kind is named there. */
const REGISTRIES: Record<string, string> = {
  'src/core/kinds/index.ts': "KINDS, every kind's module by its name",
  'src/core/types.ts':
    'GRANT_KINDS, the list of every kind (a grant carries its kind); ASSIGNMENT_TYPES, the words a person uses (`eligible`)',
  'src/core/inputs/azure.ts':
    "the Azure inputs call the `assignment-type` check (the eligible kind's input module)",
  'src/azure/kinds.ts': "AZURE_KINDS, each Azure kind's drivers, reconcile reads and report reads",
  'src/azure/sdk/arm-permissions.ts':
    'the permission each ARM operation needs, by the operation name ARM gives it',
  // Not the eligible kind: PIM's rule that refuses an *active* assignment without an eligibility.
  'src/azure/pim/policy.ts': "the active PIM kind's `EligibilityRule`",
};

/** The identifiers and string texts of a source, comments left out (parsed by TypeScript itself). */
function codeWords(text: string): string[] {
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
  visit(ts.createSourceFile('source.ts', text, ts.ScriptTarget.Latest, false));
  return words;
}

const NAMES_ELIGIBILITY = /eligib/i;

/** The source files whose code names the eligible kind, its own files aside. */
const namingFiles = (files: string[]): string[] =>
  files
    .filter((file) => !OWN.some((own) => file.startsWith(own)))
    .filter((file) =>
      codeWords(readFileSync(join(ROOT, file), 'utf8')).some((w) => NAMES_ELIGIBILITY.test(w)),
    );

describe('a kind of access is one module', () => {
  it('reads code, not comments: a name in a comment is no use of the kind', () => {
    expect(codeWords("// eligible\nconst a = 'x'; /* Eligibility */ f(b);")).toEqual(['a', 'x', 'f', 'b']);
    expect(codeWords('const kind = `azure-pim-eligible`;').some((w) => NAMES_ELIGIBILITY.test(w))).toBe(true);
  });

  it('the PIM eligibility kind is named, outside its own files, only where every kind is registered', () => {
    expect(namingFiles(sourceFiles('src', /\.ts$/)).sort()).toEqual(Object.keys(REGISTRIES).sort());
  });

  it('its own files exist, so the measure measures something', () => {
    const files = sourceFiles('src', /\.ts$/);
    for (const own of OWN) expect(files.some((file) => file.startsWith(own))).toBe(true);
  });
});
