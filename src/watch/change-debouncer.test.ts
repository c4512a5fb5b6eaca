import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { ChangeDebouncer, type FileChange } from './change-debouncer.js';

function setup(debounceMs = 200) {
  const clock = new FakeClock();
  const flushes: { at: number; changes: readonly FileChange[] }[] = [];
  const d = new ChangeDebouncer(clock, debounceMs, (changes) => flushes.push({ at: clock.now(), changes }));
  return { clock, flushes, d, t0: clock.now() };
}

const change = (path: string, kind: FileChange['kind'] = 'change'): FileChange => ({ path, kind });

describe('ChangeDebouncer', () => {
  it('flushes once, debounceMs after the last change', async () => {
    const { clock, flushes, d, t0 } = setup();
    d.add(change('/p/a.js'));
    await clock.advance(150);
    d.add(change('/p/b.js'));
    await clock.advance(150);
    expect(flushes).toEqual([]);
    await clock.advance(50);
    expect(flushes).toEqual([{ at: t0 + 350, changes: [change('/p/a.js'), change('/p/b.js')] }]);
    await clock.advance(1000);
    expect(flushes).toHaveLength(1);
  });

  it('gathers a burst of 500 changes into one flush', async () => {
    const { clock, flushes, d } = setup();
    for (let i = 0; i < 500; i++) {
      d.add(change(`/p/f${i}.js`, 'add'));
      await clock.advance(1);
    }
    await clock.advance(200);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.changes).toHaveLength(500);
  });

  it('keeps one entry per path, with its last kind, in the order of the last changes', async () => {
    const { clock, flushes, d } = setup();
    d.add(change('/p/a.js', 'change'));
    d.add(change('/p/b.js', 'change'));
    d.add(change('/p/a.js', 'unlink'));
    await clock.advance(200);
    expect(flushes[0]!.changes).toEqual([change('/p/b.js'), change('/p/a.js', 'unlink')]);
  });

  it('a temp file added and removed in the batch (save-rename) still triggers, listed after the real file', async () => {
    const { clock, flushes, d } = setup();
    d.add(change('/p/app.js.1a2b3c', 'add'));
    d.add(change('/p/app.js.1a2b3c', 'change'));
    d.add(change('/p/app.js.1a2b3c', 'unlink'));
    d.add(change('/p/app.js', 'change'));
    await clock.advance(200);
    expect(flushes[0]!.changes).toEqual([change('/p/app.js'), change('/p/app.js.1a2b3c', 'unlink')]);
    // Alone, it is a batch of its own.
    d.add(change('/p/tmp', 'add'));
    d.add(change('/p/tmp', 'unlink'));
    await clock.advance(200);
    expect(flushes[1]!.changes).toEqual([change('/p/tmp', 'unlink')]);
  });

  it('a file that existed and was deleted is not moved to the end', async () => {
    const { clock, flushes, d } = setup();
    d.add(change('/p/old.js', 'unlink'));
    d.add(change('/p/new.js', 'add'));
    await clock.advance(200);
    expect(flushes[0]!.changes).toEqual([change('/p/old.js', 'unlink'), change('/p/new.js', 'add')]);
  });

  it('flushes after 10 × debounce of a stream that never pauses, then starts a new batch', async () => {
    const { clock, flushes, d, t0 } = setup(100);
    for (let i = 0; i < 250; i++) {
      d.add(change(`/p/f${i % 7}.js`));
      await clock.advance(10);
    }
    // 2,500 ms of changes every 10 ms: cut at 1,000 and 2,000 (+ the first change's 0 offset), then the tail.
    expect(flushes.map((f) => f.at - t0)).toEqual([1000, 2000]);
    await clock.advance(100);
    expect(flushes).toHaveLength(3);
    expect(flushes[2]!.at - t0).toBe(2590);
  });

  it('changes after a flush start a new batch', async () => {
    const { clock, flushes, d } = setup();
    d.add(change('/p/a.js'));
    await clock.advance(200);
    d.add(change('/p/a.js'));
    await clock.advance(200);
    expect(flushes.map((f) => f.changes)).toEqual([[change('/p/a.js')], [change('/p/a.js')]]);
  });

  it('clear drops the batch; dispose drops it and every later change', async () => {
    const { clock, flushes, d } = setup();
    d.add(change('/p/a.js'));
    d.clear();
    await clock.advance(500);
    expect(flushes).toEqual([]);
    d.add(change('/p/b.js'));
    await clock.advance(200);
    expect(flushes).toHaveLength(1);
    d.add(change('/p/c.js'));
    d.dispose();
    d.add(change('/p/d.js'));
    await clock.advance(500);
    expect(flushes).toHaveLength(1);
  });

  it('a debounce of 0 flushes on the next timer', async () => {
    const { clock, flushes, d } = setup(0);
    d.add(change('/p/a.js'));
    d.add(change('/p/b.js'));
    expect(flushes).toEqual([]);
    await clock.advance(0);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.changes).toHaveLength(2);
  });
});
