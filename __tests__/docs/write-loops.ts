// The write loops of the sources, as ./write-loops.test.ts reads them. One write path:
// every write of a kind goes through the engine's write plan, run by src/engine/run/run-writes.ts,
// which owns their order, concurrency, deadline and effects; no src file outside src/engine/run/
// runs writes in a loop of its own.
//
// What counts, read with TypeScript's own checker (each call resolved to what it calls, not
// matched by name):
// - a write: a call of one of the seams a kind's writes go through (WRITE_SEAMS: a GrantDriver's
//   create, update, remove or registerReliance; a KindWriter's write; a ProvisionDriver's
//   sendProvision; PIM for groups' GroupPim write, each as declared or as a class implementing
//   it declares it), of the engine's runs of writes (runWrites, runGrants), or of any src
//   function that makes one, however deep. A function only built where it stands (a writer's
//   method, a function returned) makes its writes where it is called, not where it is built;
// - a write loop: a write made in an iteration over items: the body of a `for…of` / `for…in`, or
//   a function handed to an array's iteration (`map`, `flatMap`, `forEach`, `reduce`, `filter`,
//   `some`, `every`, `find`) or to mapWithConcurrency (so `Promise.all(items.map(…))` too).
//   A `for (;;)`, `while` or `do` repeats one write (a retry, a poll) and is no loop over items;
//   the calls one write is made of (an update's field by field calls) are below the seams.
import { join } from 'node:path';
import ts from 'typescript';

/** The seams a kind's writes go through: the interface (or class) and its write methods. */
const WRITE_SEAMS: Record<string, { file: string; methods: string[] }> = {
  GrantDriver: {
    file: 'src/engine/calls/driver.ts',
    methods: ['create', 'update', 'remove', 'registerReliance'],
  },
  KindWriter: { file: 'src/engine/calls/write-plan.ts', methods: ['write'] },
  ProvisionDriver: { file: 'src/aws/permission-sets/provision-driver.ts', methods: ['sendProvision'] },
  GroupPim: { file: 'src/azure/graph/group-pim.ts', methods: ['write'] },
};

/** The engine's runs of writes: each call runs a plan's writes. */
const WRITE_RUNS: Record<string, string> = {
  runWrites: 'src/engine/run/run-writes.ts',
  runGrants: 'src/engine/run/run-grants.ts',
};

const ITERATIONS = new Set(['map', 'flatMap', 'forEach', 'reduce', 'filter', 'some', 'every', 'find']);
const ENGINE_RUN = 'src/engine/run/';

/** The write loops of `files` (paths from `root`), each as `path:line` of its loop. */
export function writeLoops(root: string, files: readonly string[]): string[] {
  const program = ts.createProgram(
    files.map((f) => join(root, f)),
    // Only the sources, resolved to one another: no library is read (none writes through a seam).
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      noLib: true,
      noResolve: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const inSrc = (node: ts.Node) => node.getSourceFile().fileName.startsWith(join(root, 'src') + '/');
  const pathOf = (node: ts.Node) => node.getSourceFile().fileName.slice(root.length + 1);
  /** A place in a source: `path:line`. */
  const placeOf = (node: ts.Node): string =>
    `${pathOf(node)}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

  /** The seam an interface or class declaration is, by its name where WRITE_SEAMS says it is declared. */
  const seamOf = (decl: ts.Declaration | undefined) => {
    if (!decl || !(ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl)) || !decl.name) return;
    const seam = WRITE_SEAMS[decl.name.text];
    return seam?.file === pathOf(decl) ? seam : undefined;
  };
  /** The seams a class or interface implements or extends. */
  const implemented = (owner: ts.InterfaceDeclaration | ts.ClassDeclaration) =>
    (owner.heritageClauses ?? []).flatMap((h) => h.types.map((t) => seamOf(declarationsOf(t.expression)[0])));
  /** Whether a declaration is a seam's write method, or the engine's run of writes. */
  const isSeam = (decl: ts.Declaration): boolean => {
    const name = ts.getNameOfDeclaration(decl);
    if (!name || !ts.isIdentifier(name)) return false;
    if ((ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl)) && WRITE_RUNS[name.text])
      return WRITE_RUNS[name.text] === pathOf(decl);
    const owner = decl.parent;
    if (!(ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner))) return false;
    return [seamOf(owner), ...implemented(owner)].some((seam) => seam?.methods.includes(name.text));
  };

  /** What an expression names: its declarations (through imports and aliases). */
  const declarationsOf = (expression: ts.Expression): ts.Declaration[] => {
    const symbol = checker.getSymbolAtLocation(expression);
    const resolved =
      symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return resolved?.declarations ?? [];
  };

  /** The body a declaration runs: its function's, or its variable's arrow or function's. */
  const bodyOf = (decl: ts.Declaration): ts.Node | undefined => {
    if (ts.isVariableDeclaration(decl)) return decl.initializer;
    if (ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) return decl.initializer;
    if (ts.isFunctionLike(decl)) return (decl as ts.FunctionLikeDeclaration).body;
    return undefined;
  };

  const making = new Map<ts.Declaration, boolean>();
  /** Whether calling `decl` makes a write (src only; a library never writes through a seam). */
  const makesWrite = (decl: ts.Declaration): boolean => {
    if (isSeam(decl)) return true;
    if (!inSrc(decl)) return false;
    const known = making.get(decl);
    if (known !== undefined) return known;
    making.set(decl, false); // a function that calls itself: what its other calls make
    const body = bodyOf(decl);
    const made = body !== undefined && writesIn(body);
    making.set(decl, made);
    return made;
  };
  /**
   * A function that is built here but runs only when something calls it (a writer's method, a
   * function kept or returned): what it makes is counted where it is called. One handed to a call
   * (a callback) runs as part of that call.
   */
  const builtNotRun = (n: ts.Node): boolean =>
    (ts.isFunctionLike(n) || ts.isClassLike(n)) &&
    !(
      (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
      (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))
    );
  /** Whether running `node` makes a write: a call in it (its callbacks included) that makes one. */
  const writesIn = (node: ts.Node): boolean => {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found || (n !== node && builtNotRun(n))) return;
      if (ts.isCallExpression(n) && declarationsOf(n.expression).some(makesWrite)) {
        found = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
  /** Whether the function an iteration is handed (written in place, or named) makes a write. */
  const handsWrites = (arg: ts.Expression): boolean => {
    if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) return writesIn(arg.body);
    if (!ts.isIdentifier(arg) && !ts.isPropertyAccessExpression(arg)) return false;
    return declarationsOf(arg).some(makesWrite);
  };
  const calledName = (call: ts.CallExpression): string | undefined =>
    ts.isIdentifier(call.expression)
      ? call.expression.text
      : ts.isPropertyAccessExpression(call.expression)
        ? call.expression.name.text
        : undefined;

  const loops: string[] = [];
  for (const file of files) {
    if (file.startsWith(ENGINE_RUN)) continue;
    const source = program.getSourceFile(join(root, file));
    if (!source) throw new Error(`${file} was not read`);
    const visit = (n: ts.Node): void => {
      if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && writesIn(n.statement)) {
        loops.push(placeOf(n));
        return;
      }
      if (ts.isCallExpression(n)) {
        const name = calledName(n);
        const iterates = name === 'mapWithConcurrency' || (name !== undefined && ITERATIONS.has(name));
        if (iterates && n.arguments.some(handsWrites)) {
          loops.push(placeOf(n));
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return loops;
}
