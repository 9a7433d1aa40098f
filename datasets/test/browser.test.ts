// The package's browser entry: the same names, no node: imports; the loaders say what to do instead.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.ts';
import * as node from '../src/index.ts';

describe('the browser entry', () => {
  it('exports what the Node entry exports, and imports nothing from node:', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    expect(browser.parseIdx).toBe(node.parseIdx);
    for (const file of ['browser.ts', 'idx.ts', 'locations.ts']) {
      expect(readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8')).not.toMatch(/from 'node:/);
    }
  });

  it('loaders throw, pointing to fetch and parseIdx', () => {
    expect(() => browser.mnist.loadData()).toThrow(/^mnist\.loadData\(\) reads files, so it runs in Node only; in a browser, fetch the IDX files and parse them with parseIdx$/);
    expect(() => browser.fashionMnist.loadData()).toThrow(/^fashionMnist\.loadData\(\) reads files/);
  });
});
