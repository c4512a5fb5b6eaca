// Start-up: 50 services to ready under msdev vs concurrently (vs foreman when installed), and the CLI's own
// start-up (`msdev --version`, `msdev validate`) vs `node -e 0`. Run alone: `node bench/startup.mjs`.
import { spawnSync } from 'node:child_process';
import { CONCURRENTLY, isMain, MSDEV, NODE, progress, removeDir, runAlone, runs, tempDir } from './lib/env.mjs';
import { bootStack, foremanPath, killStack, makeStackProject, N_SERVICES, stackPids, stackTools, STACK_YAML_SHOWN, stopStack } from './lib/stack.mjs';
import { fmtMs, fmtX, median, table } from './lib/stats.mjs';

/** Times `n` runs of each command with spawnSync, round-robin, after one warm-up run each. */
function timeCommands(commands, n) {
  const times = new Map(commands.map((c) => [c.label, []]));
  const failures = new Map(commands.map((c) => [c.label, 0]));
  for (const c of commands) spawnSync(c.file, c.args, { cwd: c.cwd, stdio: 'ignore' });
  for (let r = 0; r < n; r++) {
    for (const c of commands) {
      const t0 = performance.now();
      const res = spawnSync(c.file, c.args, { cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (res.status !== 0) {
        failures.set(c.label, failures.get(c.label) + 1);
        if (failures.get(c.label) === 1) progress(`  ${c.label}: exit ${res.status}: ${(res.stderr ?? '').slice(0, 300)}`);
      }
      times.get(c.label).push(ms);
    }
  }
  return commands.map((c) => ({ ...c, median: median(times.get(c.label)), failures: failures.get(c.label), runs: n }));
}

/** Runs the start-up benchmark; returns { title, text, targets, data }. */
export async function startup() {
  const work = tempDir('startup');
  const tools = stackTools();
  const n = runs(5);
  const results = new Map(tools.map((t) => [t.key, []]));
  let cli;
  try {
    for (let r = 0; r < n; r++) {
      for (const tool of tools) {
        progress(`start-up: ${tool.label}, run ${r + 1}/${n}`);
        let stack = null;
        try {
          stack = await bootStack(tool, work, r);
          const st = { ...stack.st, outcome: stack.outcome, started: stackPids(stack.pidFile).length };
          if (stack.outcome !== 'ready') {
            progress(`  not ready (${stack.outcome}); ${st.started} services started; stderr: ${stack.t.stderr().slice(0, 500)}`);
          } else {
            progress(`  ready after ${fmtMs(st.readyMs)}`);
          }
          results.get(tool.key).push(st);
          await stopStack(stack, { timeoutMs: 15_000, graceMs: 1_000 });
        } finally {
          await killStack(stack);
        }
      }
    }

    progress('CLI start-up: node -e 0, msdev --version, msdev validate');
    const project = makeStackProject('/tmp/PIDFILE', work);
    const commands = [
      { label: 'node -e 0 (the floor)', file: NODE, args: ['-e', '0'], shown: 'node -e 0' },
      { label: 'msdev --version', file: MSDEV, args: ['--version'], shown: 'bin/msdev.js --version' },
      { label: 'msdev validate (50 services)', file: MSDEV, args: ['validate'], cwd: project, shown: 'bin/msdev.js validate   (in the folder of the 50-service services.yaml)' },
      { label: 'concurrently --version', file: CONCURRENTLY, args: ['--version'], shown: 'node_modules/.bin/concurrently --version' },
    ];
    cli = timeCommands(commands, runs(20));
  } finally {
    removeDir(work);
  }

  const sum = Object.fromEntries(
    tools.map((t) => {
      const list = results.get(t.key);
      const ok = list.filter((x) => x.outcome === 'ready');
      return [
        t.key,
        {
          readyMs: median(ok.map((x) => x.readyMs)),
          firstReadyMs: median(ok.map((x) => x.firstReadyMs)),
          firstMs: median(ok.map((x) => x.firstMs)),
          firstGenMs: median(ok.map((x) => x.firstGenMs)),
          allStartingGen: median(ok.map((x) => x.all_starting_gen)),
          allRunningGen: median(ok.map((x) => x.all_running_gen)),
          allRunningMs: median(ok.map((x) => x.all_running_ms)),
          allHealthyMs: median(ok.map((x) => x.all_healthy_ms)),
          allHealthyGen: median(ok.map((x) => x.all_healthy_gen)),
          allStartingMs: median(ok.map((x) => x.all_starting_ms)),
          readyGenMs: median(ok.map((x) => x.readyGenMs)),
          reportedMs: median(ok.map((x) => x.reportedMs)),
          failures: list.length - ok.length,
          runs: list.length,
        },
      ];
    }),
  );
  const conc = sum.conc;
  let text =
    `${N_SERVICES} services, each \`node bench/fixtures/ready.mjs PIDFILE\`: appends its pid to PIDFILE, prints \`ready\`, ` +
    'stays up until SIGTERM/SIGINT. Time = spawn of the tool until it shows that all are ready: for msdev the ' +
    '`{"type":"ready"}` line of `up --json` (each service has `healthcheck: { log: "ready" }`, so ready means each printed ' +
    `ready); for concurrently${tools.some((t) => t.key === 'foreman') ? ' and foreman' : ''} the ${N_SERVICES}th \`ready\` line on stdout. ` +
    `Median of ${n} runs, tools alternating.` +
    (foremanPath() ? '' : ' foreman (Debian `ruby-foreman`) is not installed on this machine, so it is not compared.') +
    '\n\n';
  text += table(
    ['tool', 'first service ready', `all ${N_SERVICES} ready`, 'vs concurrently', 'failed runs'],
    tools.map((t) => {
      const s = sum[t.key];
      return [t.label, fmtMs(s.firstReadyMs), fmtMs(s.readyMs), fmtX(s.readyMs / conc.readyMs), `${s.failures}/${s.runs}`];
    }),
  );
  const m = sum.msdev;
  text +=
    '\n\nmsdev time split (medians, ms since spawn). "stamped" = the `ts` msdev put on the event (when it happened ' +
    'inside msdev), "arrived" = when the bench read it from msdev\'s stdout:\n\n' +
    table(
      ['event', 'stamped', 'arrived'],
      [
        ['first event (all services `pending`)', fmtMs(m.firstGenMs), fmtMs(m.firstMs)],
        [`${N_SERVICES}th \`starting\``, fmtMs(m.allStartingGen), fmtMs(m.allStartingMs)],
        [`${N_SERVICES}th \`running\` (all spawned)`, fmtMs(m.allRunningGen), fmtMs(m.allRunningMs)],
        [`${N_SERVICES}th \`healthy\``, fmtMs(m.allHealthyGen), fmtMs(m.allHealthyMs)],
        ['`ready` event', fmtMs(m.readyGenMs), fmtMs(m.readyMs)],
        ['`"ms"` field of the ready event (msdev\'s own count)', fmtMs(m.reportedMs), ''],
      ],
    );
  text += '\n\nCommands:\n\n';
  for (const t of tools) text += `- ${t.label}: \`${t.shown}\`\n`;
  text += `\n\`\`\`yaml\n# services.yaml used by msdev (PIDFILE: a temp file)\n${STACK_YAML_SHOWN}\`\`\`\n\n`;

  const floor = cli[0];
  text += `### CLI start-up (median of ${cli[0].runs} runs each, spawnSync wall time, after one warm-up run)\n\n`;
  text += table(
    ['command', 'median wall', 'vs node -e 0', 'failed runs'],
    cli.map((c) => [`\`${c.shown}\``, fmtMs(c.median), fmtX(c.median / floor.median), `${c.failures}/${c.runs}`]),
  );
  text += '\n';

  const validate = cli[2];
  const upRatio = m.readyMs / conc.readyMs;
  const targets = [
    {
      name: '`msdev validate` on the 50-service file within 2× of `node -e 0`',
      met: validate.failures === 0 && Number.isFinite(validate.median) ? validate.median <= 2 * floor.median : false,
      figures: `${fmtMs(validate.median)} vs ${fmtMs(floor.median)} = ${fmtX(validate.median / floor.median)}${validate.failures ? ` (${validate.failures} runs failed)` : ''}`,
    },
    {
      name: '`msdev up` of 50 services to ready within 1.2× of concurrently',
      met: Number.isFinite(upRatio) && m.failures === 0 ? upRatio <= 1.2 : false,
      figures: `msdev ${fmtMs(m.readyMs)} vs concurrently ${fmtMs(conc.readyMs)} = ${fmtX(upRatio)}${m.failures ? ` (${m.failures} runs never got ready)` : ''}`,
    },
  ];
  return { title: 'Start-up', text, targets, data: { sum, cli } };
}

if (isMain(import.meta.url)) await runAlone(startup);
