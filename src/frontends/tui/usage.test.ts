import { describe, expect, it } from 'vitest';
import { formatBytes } from './usage.js';

describe('formatBytes', () => {
  it.each([
    [512 * 1024, '512K'],
    [45 * 1024 * 1024, '45M'],
    [1.25 * 1024 * 1024 * 1024, '1.3G'],
  ])('%i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
