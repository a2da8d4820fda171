// A step of `npm run bundle` (scripts/bundle.ts): rewrite the bundle, dist/lib/index.js, as pure ASCII.
//
// ncc keeps the comments and strings of every dependency, and a few hundred of their characters are not ASCII
// (undici quotes the Fetch spec's ’ in comments; its mock formatter prints ✅). One such character makes V8 hold
// the whole 1.9 MB source as a two-byte string, kept alive for lazy compilation: 1.9 MiB more peak RSS in every
// run (npm run bench measured 73.0 against 71.1 MiB). Writing each one as \uXXXX keeps the program the same.
//
// That holds in comments, string literals, untagged template literals and regular expressions, for characters
// of the Basic Multilingual Plane that no backslash precedes. Anything else (an identifier, a tagged template
// whose raw text would change, U+2028/U+2029, which end a line comment, astral characters) fails the build
// instead of being rewritten.
//   node scripts/ascii-bundle.ts dist/lib/index.js
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: node scripts/ascii-bundle.ts <bundle.js>');
const text = readFileSync(file, 'utf8');
const NON_ASCII = /[\u0080-\uffff]/;

const problems: string[] = [];
if (/[\u2028\u2029\ud800-\udfff]/.test(text)) problems.push('a line separator or an astral character');
const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
const SAFE_TOKENS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);
const visit = (node: ts.Node): void => {
  // JSDoc comments show up as nodes in JavaScript files; they are comments all the same.
  if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
  const children = node.getChildren(source);
  if (children.length > 0) {
    children.forEach(visit);
    return;
  }
  // A token: comments are trivia between tokens, so only code reaches this check.
  const code = node.getText(source);
  if (!NON_ASCII.test(code)) return;
  const tagged = ts.isTemplateLiteralToken(node) && ts.findAncestor(node, ts.isTaggedTemplateExpression) !== undefined;
  if (!SAFE_TOKENS.has(node.kind) || tagged || /\\[\u0080-\uffff]/.test(code)) {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push(`line ${line + 1}: ${ts.SyntaxKind[node.kind]} ${code.slice(0, 60)}`);
  }
};
visit(source);
if (problems.length > 0) throw new Error(`${file}: cannot be made ASCII safely:\n${problems.join('\n')}`);

const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(file, ascii);
