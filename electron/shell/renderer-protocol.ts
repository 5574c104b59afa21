// The renderer is served from app://flightdeck/ instead of file://: a file:// page may read any
// other file:// URL, and every local file would share its origin. The handler below serves
// dist/renderer and nothing else, with the CSP on every response.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../transport/security-headers.js';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'flightdeck';
export const RENDERER_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/**
 * standard: a real origin and relative URLs; secure: a secure context like https; fetch for the
 * module worker. Deliberately not bypassCSP, corsEnabled (it lets other origins read app:// without
 * any CORS check) or allowServiceWorkers.
 */
export const RENDERER_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: RENDERER_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * The file under `root` that a request URL names, or undefined when the URL is not ours or would
 * leave root. URL parsing already folds literal `..` segments; encoded ones (`..%2f`) and
 * backslashes only appear after decoding, so the decoded path is resolved and checked again.
 */
export function rendererFilePath(root: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(base + sep) ? file : undefined;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}

/** Answers one app:// request from `root`: 404 for anything outside it or missing. */
export async function serveRendererRequest(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed.');
  const file = rendererFilePath(root, request.url);
  if (!file) return plain(404, 'Not found.');
  try {
    if (!(await stat(file)).isFile()) return plain(404, 'Not found.');
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch {
    return plain(404, 'Not found.');
  }
}

/** Must run before app 'ready': Electron fixes scheme privileges at startup. */
export function registerRendererScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]);
}

/** After 'ready': serve dist/renderer on app://flightdeck/. */
export function handleRendererProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(RENDERER_SCHEME, (request) => serveRendererRequest(root, request));
}
