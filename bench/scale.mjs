// Scale: `msdev validate` on 100 / 1,000 / 10,000 generated services (two shapes), and `msdev up` of
// 100 / 1,000 `sleep` services → ready → SIGINT → all gone, with msdev's CPU and peak RSS; side by side
// with peers. Run alone: `node bench/scale.mjs` (after `npm run build`).
import { isMain, progress, removeDir, runAlone, runs } from './lib/env.mjs';
import { MIX_AUTO_PORTS, scaleTempDir } from './lib/scale-project.mjs';
import { STOP_TIMEOUT_MS, upOnce, upTools, UP_SIZES } from './lib/scale-up.mjs';
import { dclintPath, measureValidate, SHAPES, VALIDATE_SIZES, VALIDATE_TIMEOUT_MS, validateRuns, validateTools } from './lib/scale-validate.mjs';
import { fmtInt, fmtMb, fmtMs, fmtX, max, median, table } from './lib/stats.mjs';

/** Runs the scale benchmark; returns { title, text, targets, data }. */
export async function scale() {
  const work = scaleTempDir('scale');
  const dclint = dclintPath();
  const vTools = validateTools(dclint);
  const uTools = upTools();
  let vRows;
  const upResults = new Map();
  try {
    vRows = await measureValidate(work, runs, vTools);
    for (const n of UP_SIZES) {
      const count = runs(n >= 1_000 ? 2 : 3);
      for (let r = 0; r < count; r++) {
        for (const tool of uTools) {
          progress(`up: ${tool.label}, ${n} services, run ${r + 1}/${count}`);
          const res = await upOnce(tool, n, work);
          progress(
            `  ${res.outcome}: all started ${fmtMs(res.allStartedMs)}${tool.key === 'msdev' ? `, ready ${fmtMs(res.readyMs)}` : ''}; ` +
              `SIGINT → exit ${fmtMs(res.exitMs)}, all gone ${fmtMs(res.goneMs)}, ${res.leftovers} left; CPU ${res.cpuS.toFixed(2)} s, peak RSS ${fmtMb(res.peakMb)}` +
              (res.stderr ? `; stderr: ${res.stderr}` : ''),
          );
          const key = `${tool.key}:${n}`;
          if (!upResults.has(key)) upResults.set(key, []);
          upResults.get(key).push(res);
        }
      }
    }
  } finally {
    removeDir(work);
  }
  return render(vRows, vTools, uTools, upResults, dclint);
}

const cell = (row) => (row.over ? `over ${VALIDATE_TIMEOUT_MS / 1000} s` : fmtMs(row.median) + (row.failures ? ` (${row.failures} failed)` : ''));

function render(vRows, vTools, uTools, upResults, dclint) {
  const find = (shape, n, key) => vRows.find((r) => r.shape === shape && r.n === n && r.key === key);
  let text =
    'Generated projects (under `bench/.tmp`, removed afterwards). **sleep**: N independent services, `command: sleep 1000`. ' +
    `**mix**: groups of 10: a \`db\` (log health check, \`restart: always\`), a one-shot \`migrate\` waiting for db \`healthy\`, an \`api\` waiting for migrate \`completed\` and db \`healthy\` ` +
    `(in the first ${MIX_AUTO_PORTS} groups \`port: auto\` with an http check on \`\${port}\`, so at most ${MIX_AUTO_PORTS} ports are picked; the others an exec check), a \`cache\`, ` +
    'five workers (`depends_on: [api]`, env with `${services.gK-api.url}` and `${LOG_LEVEL:-info}`) and a `gw` depending on the nine others (fan-in) and on the previous group\'s `gw` (a chain N/10 long). ' +
    `Generator: \`bench/lib/scale-project.mjs\`. "YAML parse only" is \`node\` loading the \`yaml\` package (without the code cache msdev's ` +
    'launcher uses, so it costs more than msdev at 100 services) and parsing the file: the part of the work no config checker avoids.\n\n';
  text +=
    `### \`msdev validate\` (wall time, median of ${VALIDATE_SIZES.map((n) => validateRuns(n, runs)).join(' / ')} runs for ${VALIDATE_SIZES.map(fmtInt).join(' / ')} services, after one warm-up run below 10,000; ` +
    `a run over ${VALIDATE_TIMEOUT_MS / 1000} s is stopped and shown as "over")\n\n`;
  const headers = ['shape', 'services', ...vTools.map((t) => t.label), 'msdev vs floor', 'msdev per service'];
  const rows = [];
  for (const shape of SHAPES) {
    for (const n of VALIDATE_SIZES) {
      const m = find(shape, n, 'msdev');
      const floor = find(shape, n, 'floor');
      rows.push([
        shape,
        fmtInt(n),
        ...vTools.map((t) => cell(find(shape, n, t.key))),
        m.over ? 'n/a' : fmtX(m.median / floor.median),
        m.over ? 'n/a' : `${((m.median - floor.median) / n * 1000).toFixed(0)} µs`,
      ]);
    }
  }
  text += table(headers, rows);
  text += '\n\nCommands (in the project folder):\n\n';
  for (const t of vTools) text += `- ${t.label}: \`${t.shown}\`\n`;
  if (!dclint) {
    text +=
      '\ndclint (an npm CLI that validates and lints Docker Compose files) is not installed, so no real peer is compared: ' +
      '`npm install --prefix bench/.tmp/peers dclint@3.1.0` puts it where the bench looks (or set `BENCH_DCLINT`). ' +
      'No other tool that checks a multi-service config file is installed here (no `docker compose`, `foreman`, `honcho`).\n';
  } else {
    text += '\n`docker compose config` would be the natural peer; no compose plugin is installed on this machine.\n';
  }

  const up = (key, n) => upResults.get(`${key}:${n}`) ?? [];
  const sumUp = (list) => {
    const ok = list.filter((x) => x.outcome === 'ready');
    return {
      readyMs: median(ok.map((x) => x.readyMs)),
      allStartedMs: median(ok.map((x) => x.allStartedMs)),
      exitMs: median(ok.map((x) => x.exitMs)),
      goneMs: median(ok.map((x) => x.goneMs)),
      cpuAtReadyS: median(ok.map((x) => x.cpuAtReadyS)),
      cpuS: median(ok.map((x) => x.cpuS)),
      peakMb: median(ok.map((x) => x.peakMb)),
      aliveAtExitMax: max(list.map((x) => x.aliveAtExit)),
      leftoversMax: max(list.filter((x) => !x.stopTimedOut).map((x) => x.leftovers)),
      gaveUp: list.filter((x) => x.stopTimedOut).length,
      aliveAtGiveUp: max(list.filter((x) => x.stopTimedOut).map((x) => x.leftovers)),
      codes: [...new Set(list.filter((x) => !x.stopTimedOut).map((x) => String(x.code)))].join(', ') || 'n/a',
      failures: list.length - ok.length,
      runs: list.length,
    };
  };
  text +=
    `\n### \`up\` → ready → stop, N \`sleep\` services (median of ${UP_SIZES.map((n) => runs(n >= 1_000 ? 2 : 3)).join(' / ')} runs for ${UP_SIZES.map(fmtInt).join(' / ')}, tools alternating)\n\n` +
    'Each service is `sh -c \'echo $$ >> pids.txt; exec sleep 1000\'` (its pid, then `sleep` under the same pid). "all started" = spawn of the tool until ' +
    'pids.txt holds N pids, the only start-up moment concurrently has (it has no readiness); "ready" = msdev\'s `{"type":"ready"}` event ' +
    '(a service with no port and no health check is ready once running). Once both are reached, SIGINT goes to the tool process only; "exits" and ' +
    '"all gone" are counted from the SIGINT (pids polled in /proc; zombies count as gone). "left" = processes still alive 2 s after the tool exited ' +
    'that carry the run\'s token (an environment variable the bench sets for the tool, inherited by everything it starts), worst run; they are then ' +
    `killed by pid. A stop still going ${STOP_TIMEOUT_MS / 1000} s after the SIGINT is given up on (shown as "over"; everything is then killed). ` +
    'concurrently forwards the SIGINT to each command through `tree-kill`, which spawns `ps --ppid PID` for every command, and again for each child it finds, before it signals anything. CPU = the tool process\'s own user + system time from /proc/PID/stat (not its children\'s), sampled every 20 ms until it exits; ' +
    'peak RSS = max VmHWM of the tool process.\n\n';
  const upRows = [];
  for (const n of UP_SIZES) {
    for (const tool of uTools) {
      const s = sumUp(up(tool.key, n));
      upRows.push([
        tool.label,
        fmtInt(n),
        fmtMs(s.allStartedMs),
        tool.key === 'msdev' ? fmtMs(s.readyMs) : '(none)',
        s.gaveUp ? `over ${STOP_TIMEOUT_MS / 1000} s${s.gaveUp < s.runs ? ` (${s.gaveUp} of ${s.runs} runs)` : ''}` : fmtMs(s.exitMs),
        s.gaveUp ? `over ${STOP_TIMEOUT_MS / 1000} s` : fmtMs(s.goneMs),
        s.gaveUp ? `${fmtInt(s.aliveAtGiveUp)} alive when the bench gave up` : fmtInt(s.leftoversMax),
        `${s.cpuAtReadyS.toFixed(2)} s`,
        `${s.cpuS.toFixed(2)} s`,
        fmtMb(s.peakMb),
        s.codes,
        `${s.failures}/${s.runs}`,
      ]);
    }
  }
  text += table(
    ['tool', 'services', 'all started', 'ready', 'SIGINT → exits', 'SIGINT → all gone', 'left', 'CPU to ready', 'CPU total', 'peak RSS', 'exit', 'failed runs'],
    upRows,
  );
  text += '\n\nCommands (in the project folder):\n\n';
  for (const t of uTools) text += `- ${t.label}: \`${t.shown}\`\n`;

  const m10k = ['sleep', 'mix'].map((shape) => find(shape, 10_000, 'msdev'));
  const m1k = ['sleep', 'mix'].map((shape) => find(shape, 1_000, 'msdev'));
  const k = sumUp(up('msdev', 1_000));
  const conc1k = sumUp(up('conc', 1_000));
  const targets = [
    {
      name: '`msdev validate` of 10,000 services under 2 s (near-linear), both shapes',
      met: m10k.every((r) => !r.over && r.failures === 0 && r.median < 2_000),
      figures: m10k
        .map((r, i) => `${r.shape} ${cell(r)} (1,000: ${cell(m1k[i])}${r.over || m1k[i].over ? '' : `; ×${(r.median / m1k[i].median).toFixed(1)} for 10× the services`})`)
        .join('; '),
    },
    {
      name: '`msdev up` of 1,000 `sleep` services reaches ready, stops, and leaves 0 processes',
      met: k.runs > 0 && k.failures === 0 && k.gaveUp === 0 && k.leftoversMax === 0 && k.aliveAtExitMax === 0,
      figures:
        `ready after ${fmtMs(k.readyMs)} (all started ${fmtMs(k.allStartedMs)}; concurrently ${fmtMs(conc1k.allStartedMs)}), SIGINT → exit ${fmtMs(k.exitMs)}, all gone ${fmtMs(k.goneMs)}; ` +
        `worst run ${fmtInt(k.aliveAtExitMax)} alive when msdev exited, ${fmtInt(k.leftoversMax)} left; msdev CPU ${k.cpuS.toFixed(2)} s, peak RSS ${fmtMb(k.peakMb)}` +
        (k.failures ? `; ${k.failures} of ${k.runs} runs never got ready` : '') +
        (k.gaveUp ? `; ${k.gaveUp} of ${k.runs} stops still going after ${STOP_TIMEOUT_MS / 1000} s` : ''),
    },
  ];
  return { title: 'Scale', text, targets, data: { vRows, upResults: Object.fromEntries(upResults) } };
}

if (isMain(import.meta.url)) await runAlone(scale);
