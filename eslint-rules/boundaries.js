// Module boundaries (issue #12), as a local ESLint rule:
// - electron/core/<domain>/ is entered only through its index.ts from outside the domain;
// - renderer/views/<a>/ never imports renderer/views/<b>/ (shared pieces live in renderer/components).
// Imports are resolved against the importing file, so any depth of `../` is judged the same way.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

/** `electron/core/<domain>/...` -> domain; files directly in electron/core belong to none. */
const coreDomain = (p) => /^electron\/core\/([^/]+)\/.+/.exec(p)?.[1];
const view = (p) => /^renderer\/views\/([^/]+)\/.+/.exec(p)?.[1];
const isIndex = (p) => /^electron\/core\/[^/]+\/index\.(js|ts)$/.test(p);

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'core domains are entered through their index.ts; renderer views do not import each other' },
    schema: [{ type: 'object', properties: { allow: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } }, additionalProperties: false }],
    messages: {
      domain: 'Import the {{domain}} domain through electron/core/{{domain}}/index.ts, not {{target}}.',
      view: 'renderer/views/{{from}} must not import renderer/views/{{to}} ({{target}}): move the shared piece to renderer/components.',
    },
  },
  create(context) {
    const allow = context.options[0]?.allow ?? {};
    const from = rel(context.filename);
    const allowed = new Set(allow[from] ?? []);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = rel(path.resolve(path.dirname(context.filename), source));
      if (allowed.has(target)) return;
      const toDomain = coreDomain(target);
      if (toDomain && toDomain !== coreDomain(from) && !isIndex(target)) {
        context.report({ node, messageId: 'domain', data: { domain: toDomain, target } });
      }
      const [a, b] = [view(from), view(target)];
      if (a && b && a !== b) context.report({ node, messageId: 'view', data: { from: a, to: b, target } });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
