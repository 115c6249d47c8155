// The console's HTTP layer on node:http. The API is ~30 fixed paths with no path parameters, GET query
// strings, form fields and JSON bodies: a Map lookup covers it, so no web framework is pulled in (and the
// console's RSS and start time stay small). Static assets are read once at start and served from memory.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AdminError } from '../engine/admin/errors.js';
import { BadRequest, fail, ok } from './envelope.js';
import { authenticate, type Users } from './login.js';
import type { StaticAssets } from './static-assets.js';

export interface ApiRequest {
  /** Query-string parameters merged with urlencoded form fields (Spring's @RequestParam). */
  params: Record<string, string>;
  /** A JSON body (Spring's @RequestBody), else undefined. */
  body: unknown;
  /** The logged-in user when --login-file is used (reads may hide secrets from non-admins). */
  user?: { name: string; admin: boolean };
}

export type Handler = (req: ApiRequest) => Promise<unknown>;

export interface Route {
  /** GET for reads, POST for writes; ANY where the dashboard's mapping names no method. */
  method: 'GET' | 'POST' | 'DELETE' | 'ANY';
  path: string;
  handler: Handler;
  /** A raw answer (e.g. Prometheus text) instead of the JSON envelope; with fileName, a download. */
  raw?: (req: ApiRequest) => Promise<{ contentType: string; body: string; fileName?: string }>;
  /** A POST .do that only reads (an export): allowed to read-only users. */
  readOnly?: boolean;
}

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function parseRequest(req: IncomingMessage, url: URL): Promise<ApiRequest> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  let body: unknown;
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE') {
    const text = await readBody(req);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (type === 'application/json' && text.trim()) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new BadRequest(`request body is not JSON: ${(err as Error).message}`);
      }
    } else if (type === 'application/x-www-form-urlencoded') {
      Object.assign(params, Object.fromEntries(new URLSearchParams(text)));
    }
  }
  return { params, body };
}

function send(
  res: ServerResponse,
  code: number,
  type: string,
  body: string | Buffer,
  fileName?: string,
): void {
  res.writeHead(code, {
    'content-type': type,
    'cache-control': 'no-store',
    ...(fileName
      ? { 'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"` }
      : {}),
  });
  res.end(body);
}

export interface ConsoleHttpOptions {
  routes: Route[];
  assets: StaticAssets;
  /** With a login file: HTTP Basic on every request, writes for admins only. */
  users?: Users;
  /** Called with each failed API call (logging). */
  onError?: (path: string, err: Error) => void;
}

export function createConsoleHttpServer(o: ConsoleHttpOptions): Server {
  const table = new Map(o.routes.map((r) => [r.path, r]));
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const user = o.users && authenticate(o.users, req);
    if (o.users && !user) {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="mq console"',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify(fail('login required')));
      return;
    }
    const route = table.get(url.pathname);
    if (!route) {
      const asset = req.method === 'GET' || req.method === 'HEAD' ? o.assets.get(url.pathname) : undefined;
      if (asset) {
        res.writeHead(200, {
          'content-type': asset.type,
          'cache-control': asset.immutable ? 'max-age=3600' : 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : asset.body);
        return;
      }
      send(res, 404, 'application/json', JSON.stringify(fail(`no such path: ${url.pathname}`)));
      return;
    }
    if (route.method !== 'ANY' && req.method !== route.method) {
      send(res, 405, 'application/json', JSON.stringify(fail(`${url.pathname} needs ${route.method}`)));
      return;
    }
    if (user && !user.admin && route.method !== 'GET' && !route.readOnly && url.pathname.endsWith('.do')) {
      send(res, 403, 'application/json', JSON.stringify(fail(`user ${user.name} is read-only`)));
      return;
    }
    void (async () => {
      try {
        const r = await parseRequest(req, url);
        if (user) r.user = { name: user.name, admin: user.admin };
        if (route.raw) {
          const out = await route.raw(r);
          send(res, 200, out.contentType, out.body, out.fileName);
          return;
        }
        const data = await route.handler(r);
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify(ok(data ?? null)));
      } catch (err) {
        const e = err as Error;
        o.onError?.(url.pathname, e);
        // Like the dashboard, cluster-side failures are HTTP 200 with status -1; bad input is a 400.
        const code = e instanceof BadRequest ? 400 : e instanceof AdminError ? 200 : 500;
        send(res, code, 'application/json; charset=utf-8', JSON.stringify(fail(e.message)));
      }
    })();
  });
}

/** A required parameter, or a BadRequest naming it. */
export function param(req: ApiRequest, name: string): string {
  const v = req.params[name];
  if (v === undefined || v.trim() === '') throw new BadRequest(`missing parameter '${name}'`);
  return v.trim();
}

export function optParam(req: ApiRequest, name: string): string | undefined {
  const v = req.params[name]?.trim();
  return v ? v : undefined;
}

/** Spring's boolean @RequestParam: "true"/"false", absent = false. */
export function boolParam(req: ApiRequest, name: string): boolean {
  return (req.params[name] ?? '').trim().toLowerCase() === 'true';
}

export function numParam(req: ApiRequest, name: string): number {
  const v = param(req, name);
  if (!/^-?\d+$/.test(v))
    throw new BadRequest(`parameter '${name}' must be an integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** The JSON body as an object, or a BadRequest. */
export function jsonBody(req: ApiRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
    throw new BadRequest('expected a JSON object body (content-type: application/json)');
  return req.body as Record<string, unknown>;
}
