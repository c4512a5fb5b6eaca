// JUnit XML for `msdev smoke --junit FILE`: one test case per service, failures with reason and last lines.
import type { ServiceReport } from './readiness-report.js';

/** Renders the JUnit XML document for a smoke run of `project` that took `totalMs`. */
export function junitXml(project: string, reports: readonly ServiceReport[], totalMs: number): string {
  const failures = reports.filter((r) => r.problem !== null).length;
  const cases = reports.map((r) => {
    const time = ((r.readyMs ?? totalMs) / 1000).toFixed(3);
    const head = `    <testcase classname="msdev.${xml(project)}" name="${xml(r.name)}" time="${time}">`;
    if (r.problem === null) return `${head}</testcase>`;
    const detail = [`state: ${r.state}`, `restarts: ${r.restarts}`, 'last log lines:', ...r.lastLines].join('\n');
    return `${head}\n      <failure message="${xml(r.problem)}" type="${xml(r.state)}">${xml(detail)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="msdev smoke" tests="${reports.length}" failures="${failures}" time="${(totalMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(project)}" tests="${reports.length}" failures="${failures}" errors="0" skipped="0" time="${(totalMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold (ANSI escapes and other controls). */
function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
