import { describe, expect, it } from 'vitest';
import { syncTarget } from './container-sync.js';

describe('syncTarget', () => {
  it('puts a file at its place relative to the watched folder, under the working folder', () => {
    expect(syncTarget({ path: '/p/site/css/a.css', root: '/p/site' }, '/www', false)).toEqual({ base: '/p/site', rel: 'css/a.css', target: '/www/css/a.css' });
  });
  it('puts a watched file itself in the working folder', () => {
    expect(syncTarget({ path: '/p/app.js', root: '/p/app.js' }, '/app', true)).toEqual({ base: '/p', rel: 'app.js', target: '/app/app.js' });
  });
  it('uses / when the image has no WORKDIR', () => {
    expect(syncTarget({ path: '/p/x/y', root: '/p/x' }, '/', false).target).toBe('/y');
  });
});
