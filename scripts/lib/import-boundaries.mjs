// The structure rule: a file imports only from its own package, from Node's built-ins, or from a
// package its package.json declares (a workspace package through a `workspace:` range). A relative
// import, `new URL('../x', import.meta.url)` or package.json script that reaches into another
// package is a backwards edge: it works in this tree and breaks once the package is published.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { workspacePackages } from './workspace.mjs';

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage']);
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];
const BUILTINS = new Set(builtinModules);

function sourceFiles(dir, nestedPackages) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(name) && !nestedPackages.has(path)) {
        found.push(...sourceFiles(path, nestedPackages));
      }
    } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Every module specifier in a file, with its line: `import`/`export ... from`, `import()`,
 * `require()`, `import type`, and `new URL('...', import.meta.url)`. Parsed, not matched, so code
 * quoted in a string is not taken for an import.
 */
export function specifiersIn(text, fileName = 'file.ts') {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (literal, kind) =>
    found.push({
      specifier: literal.text,
      line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1,
      kind,
    });
  const isText = (node) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      isText(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier, 'import');
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      isText(node.argument.literal)
    ) {
      add(node.argument.literal, 'import');
    } else if (ts.isCallExpression(node) && isText(node.arguments[0])) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require')
      ) {
        add(node.arguments[0], 'import');
      }
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      isText(node.arguments?.[0]) &&
      node.arguments?.[1]?.getText(source) === 'import.meta.url'
    ) {
      add(node.arguments[0], 'url');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isInside(dir, path) {
  const rel = relative(dir, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Every edge that leaves its package without a declared dependency, as `{ file, line, problem }`.
 * `root` is the repository (where pnpm-workspace.yaml is).
 */
export function findBoundaryViolations(root) {
  const packages = workspacePackages(root);
  const dirs = packages.map((p) => p.dir);
  const manifests = new Map(packages.map((p) => [p.dir, p.manifest]));
  const workspaceNames = new Set([...manifests.values()].map((m) => m.name));
  const violations = [];
  for (const dir of dirs) {
    const manifest = manifests.get(dir);
    // Every range a name is declared with: an optional peer (`*`) is also a `workspace:` dev
    // dependency here, and either declaration is enough.
    const declared = new Map();
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        declared.set(name, [...(declared.get(name) ?? []), range]);
      }
    }
    const nested = new Set(dirs.filter((other) => other !== dir && isInside(dir, other)));
    const report = (file, line, problem) =>
      violations.push({ file: relative(root, file), line, problem });

    for (const file of sourceFiles(dir, nested)) {
      for (const { specifier, line, kind } of specifiersIn(readFileSync(file, 'utf8'), file)) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (isInside(dir, target)) continue;
          // A module import must stay inside; a file URL may name the repository or a folder that
          // is no package (scripts act on the repo: docs/ reports), never another package's file.
          const owner = dirs.find((other) => other !== dir && isInside(other, target));
          if (kind === 'import' || owner) {
            report(
              file,
              line,
              `${kind === 'url' ? 'new URL' : 'import'} "${specifier}" reaches ${owner ? `into ${manifests.get(owner).name}` : `outside ${manifest.name}`}: go through a declared workspace dependency instead`,
            );
          }
          continue;
        }
        // A bare file URL, or a scheme such as `cloudflare:`, is not a package import.
        if (kind === 'url' || (/^[a-z]+:/.test(specifier) && !specifier.startsWith('node:')))
          continue;
        if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) continue;
        const name = packageNameOf(specifier);
        if (name === manifest.name) continue;
        const ranges = declared.get(name);
        if (ranges === undefined) {
          report(
            file,
            line,
            `imports "${name}", which ${manifest.name}'s package.json does not declare: add it`,
          );
        } else if (workspaceNames.has(name) && !ranges.some((r) => r.startsWith('workspace:'))) {
          report(
            file,
            line,
            `imports workspace package "${name}" without a "workspace:" range: declare it as "workspace:*"`,
          );
        }
      }
    }
    for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
      for (const token of command.split(/\s+/)) {
        const path = token.replace(/^[^.]*?(?=\.\.\/)/, '');
        if (!path.startsWith('../')) continue;
        if (!isInside(dir, resolve(dir, path))) {
          report(
            join(dir, 'package.json'),
            0,
            `script "${script}" uses "${path}", outside ${manifest.name}: reach it through a declared workspace dependency`,
          );
        }
      }
    }
  }
  return violations;
}
