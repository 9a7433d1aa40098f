// A tiny static file server for the built page (node:http, no dependencies), bound to localhost.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.u8': 'application/octet-stream',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

async function fileFor(root: string, urlPath: string): Promise<string | undefined> {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const path = join(root, relative || 'index.html');
  if (path !== root && !path.startsWith(root + sep)) return undefined; // no escaping the root with ../
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? path : undefined;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Serve `root` on 127.0.0.1, adding `headers` to every file; port 0 picks a free one. */
export async function serveStatic(root: string, port = 0, headers: Record<string, string> = {}): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    const path = await fileFor(root, new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!path || req.method !== 'GET') {
      res.writeHead(path ? 405 : 404, { 'content-type': 'text/plain' }).end(path ? 'method not allowed' : 'not found');
      return;
    }
    const { size } = await stat(path);
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'content-type': type, 'content-length': size, 'cache-control': 'no-store' });
    createReadStream(path).pipe(res);
  });
  const actualPort = await listen(server, port);
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
