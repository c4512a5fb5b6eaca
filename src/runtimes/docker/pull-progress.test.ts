import { describe, expect, it } from 'vitest';
import { PullProgress, pullProgressLine, pulledLine, throttle, type PullEvent } from './pull-progress.js';

describe('PullProgress', () => {
  it('sums layers and bytes across a pull', () => {
    const p = new PullProgress();
    const events: PullEvent[] = [
      { status: 'Pulling from library/postgres', id: '16' },
      { status: 'Pulling fs layer', id: 'a' },
      { status: 'Pulling fs layer', id: 'b' },
      { status: 'Already exists', id: 'c' },
      { status: 'Waiting', id: 'd' },
      { status: 'Downloading', id: 'a', progressDetail: { current: 1_000_000, total: 4_000_000 } },
      { status: 'Downloading', id: 'b', progressDetail: { current: 500_000, total: 10_000_000 } },
    ];
    expect(events.map((e) => p.apply(e))).toEqual([false, true, true, true, true, true, true]);
    expect(p.snapshot()).toEqual({ layersDone: 1, layers: 4, bytesDone: 1_500_000, bytesTotal: 14_000_000 });
    p.apply({ status: 'Download complete', id: 'a' });
    p.apply({ status: 'Extracting', id: 'a', progressDetail: { current: 32768, total: 9_000_000 } });
    p.apply({ status: 'Pull complete', id: 'a' });
    expect(p.apply({ status: 'Digest: sha256:abc' })).toBe(false);
    expect(p.snapshot()).toEqual({ layersDone: 2, layers: 4, bytesDone: 4_500_000, bytesTotal: 14_000_000 });
  });

  it('never counts more than a layer holds', () => {
    const p = new PullProgress();
    p.apply({ status: 'Downloading', id: 'a', progressDetail: { current: 9, total: 5 } });
    expect(p.snapshot()).toMatchObject({ bytesDone: 5, bytesTotal: 5 });
  });
});

describe('lines', () => {
  it.each([
    [{ layersDone: 3, layers: 7, bytesDone: 12_100_000, bytesTotal: 40_240_000 }, 'pulling postgres:16: 3/7 layers, 12.1/40.2 MB'],
    [{ layersDone: 0, layers: 2, bytesDone: 0, bytesTotal: 0 }, 'pulling postgres:16: 0/2 layers'],
  ])('progress %#', (snapshot, expected) => {
    expect(pullProgressLine('postgres:16', snapshot)).toBe(expected);
  });

  it('pulled', () => {
    expect(pulledLine('postgres:16', 4210)).toBe('pulled postgres:16 in 4.2s');
  });
});

describe('throttle', () => {
  it('opens at most once per interval, the first call included', () => {
    let t = 0;
    const due = throttle(1000, () => t);
    const opened: number[] = [];
    for (t = 0; t <= 2500; t += 250) if (due()) opened.push(t);
    expect(opened).toEqual([0, 1000, 2000]);
  });
});
