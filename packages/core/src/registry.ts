import type { Backend } from './backend.ts';

/** Named backend factories; `priority` orders the default choice (highest first). */
interface Registration {
  readonly factory: () => Promise<Backend>;
  readonly priority: number;
  /** The adapter's name when the backend would run on a software fallback (see `ready`); else undefined. */
  readonly software?: () => Promise<string | undefined>;
}

const registrations = new Map<string, Registration>();
const instances = new Map<string, Backend>();
let current: Backend | undefined;

export function registerBackend(name: string, factory: () => Promise<Backend>, priority = 0, software?: () => Promise<string | undefined>): void {
  registrations.set(name, { factory, priority, software });
}

export function registeredBackends(): string[] {
  return [...registrations.keys()];
}

async function instantiate(name: string): Promise<Backend> {
  const existing = instances.get(name);
  if (existing) return existing;
  const reg = registrations.get(name);
  if (!reg) {
    throw new Error(`setBackend: unknown backend ${JSON.stringify(name)}; registered backends are ${registeredBackends().join(', ') || '(none)'}`);
  }
  const backend = await reg.factory();
  instances.set(name, backend);
  return backend;
}

/** Make `name` the backend for new tensors. Throws (and keeps the current one) if it cannot start. */
export async function setBackend(name: 'cpu' | 'webgpu' | (string & {})): Promise<Backend> {
  current = await instantiate(name);
  return current;
}

/**
 * Pick the default: the highest-priority backend that starts (WebGPU when an adapter exists, else the
 * CPU), printing one line saying which and why unless `quiet` (to `log` when given, else the console).
 * A backend whose only adapter is a software fallback (SwiftShader and the like: slower than the CPU
 * backend) goes after the others; `setBackend` still uses it when asked by name.
 */
export async function ready(options: { quiet?: boolean; log?: (line: string) => void } = {}): Promise<Backend> {
  if (current) return current;
  const ordered = [...registrations.entries()].sort((a, b) => b[1].priority - a[1].priority);
  const reasons = new Map<string, string>();
  for (const [name, reg] of ordered) {
    const software = await reg.software?.().catch(() => undefined);
    if (software) reasons.set(name, `${name} not chosen: its adapter is a software fallback (${software}), slower than the CPU backend; setBackend('${name}') uses it anyway`);
  }
  const candidates = [...ordered.filter(([name]) => !reasons.has(name)), ...ordered.filter(([name]) => reasons.has(name))];
  for (const [name] of candidates) {
    try {
      current = await instantiate(name);
      reasons.delete(name);
      if (!options.quiet) {
        const why = reasons.size ? ` (${[...reasons.values()].join('; ')})` : '';
        (options.log ?? console.log)(`strata: using the ${name} backend${why}`);
      }
      return current;
    } catch (err) {
      reasons.set(name, `${name} unavailable: ${(err as Error).message}`);
    }
  }
  throw new Error(`strata: no backend could start: ${[...reasons.values()].join('; ') || 'none registered'}`);
}

/** The active backend. Without `setBackend`/`ready`, the first use selects the CPU backend if registered. */
export function getBackend(): Backend {
  if (current) return current;
  const cpu = instances.get('cpu');
  if (cpu) return (current = cpu);
  throw new Error("strata: no backend is active; call `await setBackend('cpu' | 'webgpu')` or `await ready()` first");
}

/** The backends started so far (for `memory()`). */
export function startedBackends(): Backend[] {
  return [...instances.values()];
}

/** Register an already constructed backend instance (used for backends with a synchronous constructor). */
export function provideBackend(name: string, backend: Backend, priority = 0): void {
  instances.set(name, backend);
  registerBackend(name, async () => backend, priority);
}

/** Dispose every started backend (Node needs this to exit when a GPU device is open). */
export async function disposeBackends(): Promise<void> {
  for (const b of instances.values()) await b.dispose();
  instances.clear();
  current = undefined;
}
