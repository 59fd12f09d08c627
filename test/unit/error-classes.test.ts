import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every error class in crier's source derives from CrierError (shared/domain/errors.ts) and names
 * itself. Read from the source with the TypeScript parser rather than by importing the modules:
 * a class that nobody imports, or a module with side effects at import, is held to it all the same.
 */

const repositoryRoot = resolve(import.meta.dirname, '../..');
const sourceFolders = ['shared', 'functions', 'local', 'cli', 'console', 'infra', 'bench'];
const baseClass = 'CrierError';

interface FoundClass {
  name: string;
  file: string;
  /** The identifier after `extends` (the last part of a dotted name), when there is one. */
  parent: string | undefined;
  isAbstract: boolean;
  /** The string literals assigned to `this.name` in the class's constructor. */
  namesSet: string[];
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(m|c)?tsx?$/.test(entry.name) && !/\.test\.(m|c)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function namesAssignedInConstructor(declaration: ts.ClassDeclaration): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      node.left.name.text === 'name' &&
      ts.isStringLiteralLike(node.right)
    ) {
      names.push(node.right.text);
    }
    ts.forEachChild(node, visit);
  };
  for (const member of declaration.members) if (ts.isConstructorDeclaration(member)) visit(member);
  return names;
}

function classesIn(file: string): FoundClass[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: FoundClass[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name !== undefined) {
      const extendsClause = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
      const parentExpression = extendsClause?.types[0]?.expression;
      const parent =
        parentExpression === undefined
          ? undefined
          : ts.isPropertyAccessExpression(parentExpression)
            ? parentExpression.name.text
            : parentExpression.getText(source);
      found.push({
        name: node.name.text,
        file: relative(repositoryRoot, file),
        parent,
        isAbstract: node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AbstractKeyword) ?? false,
        namesSet: namesAssignedInConstructor(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const allClasses = sourceFolders.flatMap((folder) => sourceFiles(join(repositoryRoot, folder))).flatMap(classesIn);
const byName = new Map(allClasses.map((found) => [found.name, found]));

/** The chain of parents up from a class, through the source's own classes, to the first one defined elsewhere. */
function ancestry(found: FoundClass): string[] {
  const chain: string[] = [];
  let parent = found.parent;
  while (parent !== undefined && !chain.includes(parent)) {
    chain.push(parent);
    parent = byName.get(parent)?.parent;
  }
  return chain;
}

/** Whether a name defined outside the source (the chain's top) is an error: `Error`, or a library's `…Error`/`…Exception`. */
const isForeignError = (name: string | undefined): boolean => name !== undefined && !byName.has(name) && /(Error|Exception)$/.test(name);

const errorClasses = allClasses.filter((found) => found.name === baseClass || isForeignError(ancestry(found).at(-1)));

describe('crier error classes', () => {
  it('finds the taxonomy and the errors outside it', () => {
    // Prepare
    const expectedAmongThem = ['CrierError', 'ValidationError', 'ProviderError', 'ImportRefusedError', 'CliError', 'PortInUseError', 'DeploymentTargetError'];

    // Act
    const names = errorClasses.map(({ name }) => name);

    // Assess
    expect(names).toEqual(expect.arrayContaining(expectedAmongThem));
  });

  it('each derives from CrierError, which alone extends Error', () => {
    // Prepare
    const line = (found: FoundClass): string => `${found.file}: ${found.name} extends ${[...ancestry(found)].join(' → ')}`;

    // Act
    const strays = errorClasses.filter((found) => (found.name === baseClass ? found.parent !== 'Error' : !ancestry(found).includes(baseClass)));

    // Assess
    expect(strays.map(line), `error classes that do not derive from ${baseClass}`).toEqual([]);
  });

  it('each concrete one sets this.name to its own class name, as minified bundles lose the constructor name', () => {
    // Prepare
    const concrete = errorClasses.filter((found) => !found.isAbstract);

    // Act
    const misnamed = concrete.filter((found) => !found.namesSet.includes(found.name));

    // Assess
    expect(misnamed.map((found) => `${found.file}: ${found.name} sets name to ${JSON.stringify(found.namesSet)}`)).toEqual([]);
  });

  it('each has a name of its own, so a log line names one class', () => {
    // Prepare
    const names = errorClasses.map(({ name }) => name);

    // Act
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);

    // Assess
    expect(repeated).toEqual([]);
  });
});
