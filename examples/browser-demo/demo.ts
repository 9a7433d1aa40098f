// `pnpm demo`: build the page and serve it on localhost. Runs bundled as build/tools/demo.mjs (see package.json).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemo } from './build.ts';
import { serveStatic } from './server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const port = Number(process.env.PORT ?? 8080);
const site = join(root, 'build/site');
await buildDemo(root, site);
const server = await serveStatic(site, port);
console.log(`Strata browser demo: ${server.url}  (Ctrl+C to stop)`);
