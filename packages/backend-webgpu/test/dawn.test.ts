// Without a driver Dawn can use, loading Dawn fails with one sentence carrying Dawn's reason (found by a
// child process) instead of Dawn's own warnings, which would name source files on Dawn's build machine.
import { afterAll, expect, it } from 'vitest';
import { loadDawn } from '../src/dawn.ts';

const driver = process.env.VK_ICD_FILENAMES;
afterAll(() => {
  if (driver === undefined) delete process.env.VK_ICD_FILENAMES;
  else process.env.VK_ICD_FILENAMES = driver;
});

it('with no Vulkan driver, the error gives Dawn\'s first warning and no source locations', async () => {
  process.env.VK_ICD_FILENAMES = '/nonexistent/vulkan-driver.json';
  const error = await loadDawn().then(() => new Error('Dawn loaded'), (e: unknown) => e as Error);
  expect(error.message).toMatch(/^WebGPU: no adapter found \(Dawn: loader_get_json: Failed to open JSON file \/nonexistent\/vulkan-driver\.json\); Node needs a GPU driver/);
  expect(error.message).not.toMatch(/\.cpp|\/home\//);
});
