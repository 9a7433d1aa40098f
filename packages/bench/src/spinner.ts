// The contended workload's load: a separate process that keeps one core busy while a job runs.
import { spawn } from 'node:child_process';

/** Runs `fn` while a `node -e "for(;;);"` child spins; the child is killed however `fn` ends. */
export async function withSpinner<T>(fn: () => Promise<T>): Promise<T> {
  const spinner = spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' });
  try {
    return await fn();
  } finally {
    spinner.kill('SIGKILL');
  }
}
