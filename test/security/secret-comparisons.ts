// Finds every comparison in keyloop's source that involves a value named like a secret (a MAC, a
// signature, a CSRF or session token, a password or its hash, a key handle or its tag, a one-time
// code, a secret key) and is not made through a constant-time function: `===`, `!==`, `==`, `!=`,
// `.equals()` and `compare()`. Parsed with the TypeScript compiler, so comments, strings and
// formatting cannot hide a comparison or invent one.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface Comparison {
  /** Path relative to the repository root. */
  file: string;
  line: number;
  /** The secret-like name the comparison involves. */
  name: string;
  /** The comparison as written. */
  text: string;
}

/**
 * Names of secrets, lower-cased with `_` and `-` removed. Bare `tag` and `code` are left out: here
 * they are IAM tags, scenario tags and error codes; an AES-GCM tag is checked inside OpenSSL.
 */
const SECRET_NAME = /(csrf|token$|sessionid|secret|password|signature|^mac$|hmac|authtag|keyhandle|totp|^otp|mfacode|authenticationcode)/;

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** The name a value goes by: `b` for `a.b`, `a['b']` and `b(...)`, through parentheses and casts. */
function nameOf(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  if (ts.isCallExpression(node)) return nameOf(node.expression);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isAwaitExpression(node)) return nameOf(node.expression);
  return undefined;
}

/** A constant on one side (a literal, an UPPER_CASE name, undefined, null, a typeof) makes it a test of shape, not of a secret. */
function isConstant(node: ts.Expression): boolean {
  const name = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? nameOf(node) : undefined;
  return (
    (name !== undefined && /^[A-Z][A-Z0-9_]*$/.test(name)) ||
    ts.isLiteralExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    ts.isTypeOfExpression(node) ||
    (ts.isIdentifier(node) && node.text === 'undefined') ||
    [ts.SyntaxKind.NullKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword].includes(node.kind) ||
    (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand))
  );
}

const secretName = (node: ts.Expression): string | undefined => {
  const name = nameOf(node);
  return name !== undefined && SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, '')) ? name : undefined;
};

/** The comparisons involving a secret-like name in one source text. */
export function findSecretComparisons(file: string, text: string): Comparison[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: Comparison[] = [];
  const report = (node: ts.Node, operands: ts.Expression[]) => {
    if (operands.some(isConstant)) return;
    const name = operands.map(secretName).find((each) => each !== undefined);
    if (name === undefined) return;
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, name, text: node.getText(source).replace(/\s+/g, ' ') });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) report(node, [node.left, node.right]);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (method === 'equals') report(node, [node.expression.expression, ...node.arguments]);
      if (method === 'compare') report(node, [...node.arguments]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Calls of a function named `callee` (`callee(...)` or `x.callee(...)`) in one source text, by line. */
export function findCalls(file: string, text: string, callee: string): number[] {
  if (!text.includes(callee)) return [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && nameOf(node.expression) === callee) lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

export interface SourceFile {
  /** Path relative to the repository root. */
  file: string;
  text: string;
}

/** Every `.ts` file under `dirs` (relative to `root`). */
export async function readSources(root: string, dirs: readonly string[]): Promise<SourceFile[]> {
  const paths: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts')) paths.push(path);
    }
  };
  for (const dir of dirs) await walk(join(root, dir));
  return Promise.all(paths.map(async (path) => ({ file: relative(root, path), text: await readFile(path, 'utf8') })));
}
