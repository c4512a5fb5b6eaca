#!/usr/bin/env -S node --max-semi-space-size=4
// The V8 flag keeps the young generation small: msdev's garbage is 64 KB chunk strings that die at
// once, and a 16 MB young generation only let them pile up (10 services × 100k lines: peak RSS
// 142 MB → ~105 MB, same speed). Under `node bin/msdev.js` the flag is not applied; all else is equal.
// Launcher. Runs the bundled CLI (dist/bundle/msdev.cjs) with V8's code cache, kept in the user's
// cache folder, so msdev starts in little more than Node's own time; falls back to the plain
// ES-module build when there is no bundle or the cache cannot be used.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const args = process.argv.slice(2);
const bundle = fileURLToPath(new URL('../dist/bundle/msdev.cjs', import.meta.url));

/** The folder for the code cache: MSDEV_CACHE_DIR, else XDG_CACHE_HOME/msdev, else ~/.cache/msdev. */
function cacheDir() {
  if (process.env.MSDEV_CACHE_DIR) return process.env.MSDEV_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'msdev');
}

/** Compiles and runs the bundle with cached bytecode; returns its exports, or null when there is no bundle. */
function loadBundle() {
  let source;
  let stat;
  try {
    stat = statSync(bundle);
    source = readFileSync(bundle, 'utf8');
  } catch {
    return null;
  }
  // V8 rejects a cache made under other flags: each set of flags (shebang or not) keeps its own.
  const family = `msdev-${hash(process.execArgv.join(' '))}-`;
  const cacheFile = join(cacheDir(), `${family}${process.version}-${stat.size}-${Math.floor(stat.mtimeMs)}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapper = '(function (exports, require, module, __filename, __dirname) { ' + source + '\n});';
  const script = new Script(wrapper, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written once the run is over, so the cache holds every function this run compiled.
    process.once('beforeExit', () => saveCache(script, cacheFile, family));
  }
  return module.exports;
}

/** Writes the code cache atomically and removes those of older builds; a failure only costs the next run its head start. */
function saveCache(script, file, family) {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, script.createCachedData());
    closeSync(fd);
    renameSync(tmp, file);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(family) && name.endsWith('.v8cache') && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // no cache this time
  }
}

/** A short stable name for a string (FNV-1a, hex). */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

const cli = loadBundle() ?? (await import('../dist/cli/main.js'));
cli.main(args);
