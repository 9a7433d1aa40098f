import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../src/index.ts';
import { makeIdx, ramp } from './make-idx.ts';

describe('parseIdx', () => {
  it('parses a uint8 IDX file', () => {
    const r = parseIdx(makeIdx([2, 3], ramp(6)), 'x.idx');
    expect(r.shape).toEqual([2, 3]);
    expect(Array.from(r.values)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('parses a gzipped IDX file', () => {
    const r = parseIdx(gzipSync(makeIdx([4], ramp(4))), 'x.idx.gz');
    expect(r.shape).toEqual([4]);
    expect(Array.from(r.values)).toEqual([0, 1, 2, 3]);
  });

  it('rejects a bad magic number', () => {
    const bytes = makeIdx([2], ramp(2));
    bytes[0] = 0x12;
    expect(() => parseIdx(bytes, 'bad.idx')).toThrow(/bad\.idx: bad IDX magic number 0x12 0x00 0x08 0x01/);
  });

  it('rejects a non-uint8 type code, naming it', () => {
    expect(() => parseIdx(makeIdx([1], new Uint8Array(4), 0x0d), 'f.idx')).toThrow(
      /f\.idx: unsupported IDX type code 0x0d \(float32\)/,
    );
  });

  it('rejects a bad dimension count', () => {
    expect(() => parseIdx(makeIdx([1, 1, 1, 1, 1, 1], ramp(1)), 'six.idx')).toThrow(/six\.idx: bad IDX dimension count 6/);
    expect(() => parseIdx(makeIdx([], new Uint8Array(0)), 'zero.idx')).toThrow(/zero\.idx: bad IDX dimension count 0/);
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(makeIdx([3, 3], ramp(9)).subarray(0, 9), 'h.idx')).toThrow(
      /h\.idx: truncated IDX header: expected at least 12 bytes, got 9/,
    );
  });

  it('rejects a truncated payload with expected and actual byte counts', () => {
    const bytes = makeIdx([2, 3], ramp(6)).subarray(0, 12 + 5);
    expect(() => parseIdx(bytes, 'short.idx')).toThrow(/short\.idx: truncated: .* needs 18 bytes, file has 17/);
  });

  it('rejects trailing bytes with expected and actual byte counts', () => {
    const bytes = makeIdx([2, 3], ramp(8));
    expect(() => parseIdx(bytes, 'long.idx')).toThrow(/long\.idx: trailing bytes: .* needs 18 bytes, file has 20/);
  });

  it('rejects corrupt gzip data, naming the file', () => {
    const gz = gzipSync(makeIdx([4], ramp(4)));
    const corrupt = gz.subarray(0, gz.length - 6);
    expect(() => parseIdx(corrupt, 'broken.gz')).toThrow(/broken\.gz: corrupt gzip data/);
    const garbled = Uint8Array.from(gz);
    garbled.fill(0xff, 10, gz.length - 8);
    expect(() => parseIdx(garbled, 'garbled.gz')).toThrow(/garbled\.gz: corrupt gzip data/);
  });
});
