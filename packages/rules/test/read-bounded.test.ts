// bytesCollector: one buffer whatever the chunking, the single chunk of a one-chunk body kept as
// it is (no copy on the common path), and nothing kept past the ceiling.
import { describe, expect, it } from 'vitest';
import { bytesCollector } from '../src/index.js';

describe('bytesCollector', () => {
  it('keeps a one-chunk body as it is, uncopied', () => {
    const collected = bytesCollector(1024);
    const chunk = new Uint8Array([1, 2, 3]);
    expect(collected.add(chunk)).toBe(true);
    expect(collected.bytes()).toBe(chunk);
  });

  it('joins many chunks, one byte or more, into exactly the bytes sent', () => {
    const collected = bytesCollector(100_000);
    const expected: number[] = [];
    for (let i = 0; i < 40_000; i += 1) {
      expected.push(i % 251);
      expect(collected.add(new Uint8Array([i % 251]))).toBe(true);
    }
    expect(collected.add(new Uint8Array(1000).fill(7))).toBe(true);
    expected.push(...new Array(1000).fill(7));
    expect(collected.bytes().byteLength).toBe(41_000);
    expect([...collected.bytes()]).toEqual(expected);
  });

  it('refuses a chunk that would cross the ceiling and keeps what came before', () => {
    const collected = bytesCollector(5);
    expect(collected.add(new Uint8Array([1, 2, 3]))).toBe(true);
    expect(collected.add(new Uint8Array([4, 5, 6]))).toBe(false);
    expect(collected.add(new Uint8Array([4, 5]))).toBe(true);
    expect([...collected.bytes()]).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives an empty body for no chunks', () => {
    expect(bytesCollector(10).bytes().byteLength).toBe(0);
  });
});
