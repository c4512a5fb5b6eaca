// One run of one tool with its stdout going to one kind of reader (a file, `| cat`, the parent, a slow
// reader): wall time, the tool's own CPU and peak RSS, and every numbered line counted on screen and in msdev's logs.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { feedFile, SpewCounter } from './count.mjs';
import { FIXTURES, NODE, progress, removeDir } from './env.mjs';
import { LogCapture } from './log-capture.mjs';
import { cleanupAll, descendants, forgetDead, killGroup, OwnSampler, sleep, spawnTool, withTimeout } from './proc.mjs';
import { cmdline, makeProject, shq } from './project.mjs';

const SLOW_READER = join(FIXTURES, 'slow-reader.mjs');
const RUN_TIMEOUT_MS = 120_000;
const SAMPLE_MS = 20;

/** The arguments of a process from /proc, or null when it is gone. */
function argv(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * The pid of the tool inside a shell pipeline started as `root`: the descendant that runs node with the
 * tool's launcher as an argument (after sh forked it and env exec'd node; the pid stays the same).
 */
async function findToolPid(root, file, exited) {
  let done = false;
  exited.then(() => (done = true));
  while (!done) {
    for (const pid of descendants(root)) {
      const a = argv(pid);
      if (a && basename(a[0]) === 'node' && a.includes(file)) return pid;
    }
    await sleep(2);
  }
  return null;
}

/**
 * The shell command for a pipeline output kind: the tool's stdout into `| cat > out` or the slow reader.
 * The tool's exit code goes to codeFile (sh has no pipefail).
 */
function pipelineScript(output, file, args, outFile, codeFile, rate) {
  const tool = `{ ${cmdline(file, args)}; echo $? > ${shq(codeFile)}; }`;
  if (output === 'cat') return `${tool} | cat > ${shq(outFile)}`;
  return `${tool} | ${shq(NODE)} ${shq(SLOW_READER)} ${rate} > ${shq(outFile)}`;
}

/** How many times `needle` occurs in a file (read in chunks; an occurrence across two chunks counts too). */
function occurrences(file, needle) {
  const pattern = Buffer.from(needle);
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let n = 0;
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const text = Buffer.concat([carry, buf.subarray(0, got)]);
      for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) n++;
      carry = Buffer.from(text.subarray(Math.max(0, text.length - pattern.length + 1)));
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

/**
 * Runs `tool` ({ key, label, file, args, services? }) once, its stdout going to `output`: 'file' (a regular
 * file), 'cat' / 'slow' (a real pipe, through `sh -c "… | cat > out"` or the slow reader), or 'parent'
 * (node's stdio pipe, read by this process as fast as it can). Returns the figures of the run.
 * Options: `onSpawn({ cwd, t0, exited })`, called once the tool is spawned, returns `{ stop() }` whose
 * result (awaited once the run is over) becomes `result.client`; `find`: a text whose occurrences in what
 * reached the reader are counted (`result.found`).
 */
export async function runPipeCase(tool, output, scenario, work, r, { rate = 10_000_000, onSpawn = null, find = null } = {}) {
  const outFile = join(work, `${tool.key}-${output}-${r}.out`);
  const codeFile = `${outFile}.code`;
  let cwd = work;
  let project = null;
  if (tool.services) {
    project = makeProject('pipe', tool.services, work);
    cwd = project.dir;
  }
  const env = tool.env;
  let t;
  let chunks = null;
  let readEnd = null;
  if (output === 'file') {
    const fd = openSync(outFile, 'w');
    try {
      t = spawnTool(tool.file, tool.args, { cwd, env, stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
  } else if (output === 'parent') {
    t = spawnTool(tool.file, tool.args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    chunks = [];
    t.child.stdout.on('data', (c) => chunks.push(c));
    readEnd = new Promise((resolve) => t.child.stdout.once('end', () => resolve(performance.now() - t.t0)));
  } else {
    const script = pipelineScript(output, tool.file, tool.args, outFile, codeFile, rate);
    t = spawnTool('sh', ['-c', script], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const hook = onSpawn ? onSpawn({ cwd, t0: t.t0, exited: t.exited }) : null;
  const capture = project ? new LogCapture(join(project.dir, '.msdev', 'logs'), Object.keys(tool.services), join(work, `kept-${r}`)) : null;
  const pid = output === 'file' || output === 'parent' ? t.pid : await findToolPid(t.pid, tool.file, t.exited);
  const sampler = pid ? new OwnSampler(pid, SAMPLE_MS) : null;
  let exit = null;
  let endMs = NaN;
  let own = { peakMb: NaN, cpuS: NaN };
  let kept = null;
  try {
    exit = await withTimeout(t.exited, RUN_TIMEOUT_MS, null);
    endMs = exit ? (readEnd ? Math.max(exit.ms, await withTimeout(readEnd, 10_000, NaN)) : exit.ms) : NaN;
  } finally {
    if (sampler) own = sampler.stop();
    kept = capture ? capture.stop() : null;
    if (exit === null) killGroup(t.pid);
    cleanupAll();
    forgetDead();
  }
  let code = exit ? exit.code : 'timeout';
  if (exit && existsSync(codeFile)) {
    const toolCode = Number(readFileSync(codeFile, 'utf8'));
    if (toolCode !== 0) code = `tool ${toolCode}`;
    rmSync(codeFile, { force: true });
  }
  const result = { wallMs: endMs, code, peakMb: own.peakMb, cpuS: own.cpuS };
  if (hook) result.client = await hook.stop();
  // What reached the reader.
  const screen = new SpewCounter({ ids: scenario.ids, perId: scenario.perId });
  if (chunks) {
    if (find) result.found = Buffer.concat(chunks).toString('latin1').split(find).length - 1;
    for (const c of chunks) screen.push(c);
    result.bytes = chunks.reduce((a, c) => a + c.length, 0);
    chunks = null;
  } else {
    feedFile(screen, outFile);
    if (find) result.found = occurrences(outFile, find);
    result.bytes = statSync(outFile).size;
    rmSync(outFile, { force: true });
  }
  const s = screen.result();
  Object.assign(result, { lost: s.lost, mangled: s.mangled, reordered: s.reordered + s.duplicates });
  // What msdev wrote to .msdev/logs (every generation of every service's file, oldest first).
  if (kept) {
    const logs = new SpewCounter({ ids: scenario.ids, perId: scenario.perId });
    for (const name of Object.keys(tool.services)) for (const f of kept[name]) feedFile(logs, f);
    const l = logs.result();
    Object.assign(result, {
      logLost: l.lost,
      logMangled: l.mangled,
      logReordered: l.reordered + l.duplicates,
      logFiles: Object.values(kept).reduce((a, list) => a + list.length, 0),
    });
    removeDir(join(work, `kept-${r}`));
  }
  if (project) removeDir(project.dir);
  if (result.code !== 0) progress(`  ${tool.label} (${output}): exit ${result.code}; stderr: ${t.stderr().slice(0, 500)}`);
  return result;
}
