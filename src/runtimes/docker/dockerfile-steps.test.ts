import { describe, expect, it } from 'vitest';
import { buildFailureReason, dockerfileInstructions, parseBuildStep } from './dockerfile-steps.js';

/** The start lines of the instructions, with their keywords: `3 RUN`. */
function starts(text: string): string[] {
  return dockerfileInstructions(text).map((i) => `${i.line} ${i.keyword}`);
}

describe('dockerfileInstructions', () => {
  it.each([
    ['one per line', 'FROM a\nRUN b\nCMD c\n', ['1 FROM', '2 RUN', '3 CMD']],
    ['comments and blank lines skipped', '# top\n\nFROM a\n  # indented comment\n\nrun b\n', ['3 FROM', '6 RUN']],
    ['a continuation starts on its first line', 'FROM a\nRUN one \\\n  two \\\n  three\nCMD x\n', ['1 FROM', '2 RUN', '5 CMD']],
    ['comment and blank lines inside a continuation', 'FROM a\nRUN one \\\n# note\n\n  two\nCMD x\n', ['1 FROM', '2 RUN', '6 CMD']],
    ['trailing spaces after the backslash', 'FROM a\nRUN one \\   \n  two\nEXPOSE 1\n', ['1 FROM', '2 RUN', '4 EXPOSE']],
    ['parser directives then an instruction', '# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\nRUN b\n', ['3 FROM', '4 RUN']],
    ['escape=` makes the backtick continue', '# escape=`\nFROM a\nRUN dir c:\\ `\n  more\nCMD x\n', ['2 FROM', '3 RUN', '5 CMD']],
    ['a directive after a comment is a comment', '# hello\n# escape=`\nFROM a\nRUN b `\nCMD x\n', ['3 FROM', '4 RUN', '5 CMD']],
    ['CRLF line ends', 'FROM a\r\nRUN b \\\r\n c\r\nCMD d\r\n', ['1 FROM', '2 RUN', '4 CMD']],
    ['a heredoc belongs to its RUN', 'FROM a\nRUN <<EOF\necho hi\nFROM not-an-instruction\nEOF\nCMD x\n', ['1 FROM', '2 RUN', '6 CMD']],
    ['<<- strips tabs before the end word', 'FROM a\nCOPY <<-"END" /f\n\tbody\n\tEND\nCMD x\n', ['1 FROM', '2 COPY', '5 CMD']],
    ['a continuation at end of file', 'FROM a\nRUN b \\\n', ['1 FROM', '2 RUN']],
    ['a BOM is ignored', '\uFEFFFROM a\nRUN b\n', ['1 FROM', '2 RUN']],
    ['empty file', '', []],
  ])('%s', (_name, text, expected) => {
    expect(starts(text)).toEqual(expected);
  });
});

describe('parseBuildStep', () => {
  it.each([
    ['Step 2/3 : RUN exit 3', { step: 2, text: 'RUN exit 3' }],
    ['Step 10/12 : COPY . /app', { step: 10, text: 'COPY . /app' }],
    ['STEP 4/5: RUN make', { step: 4, text: 'RUN make' }],
    [' ---> Running in 4a0878cdbab8', null],
    ['Stepping 1/2 : no', null],
  ])('%s', (line, expected) => {
    expect(parseBuildStep(line)).toEqual(expected);
  });
});

describe('buildFailureReason', () => {
  const instructions = dockerfileInstructions('FROM a\n# c\nRUN exit 3\n');
  const message = "The command '/bin/sh -c exit 3' returned a non-zero code: 3";

  it('names the line of the failing step', () => {
    expect(buildFailureReason('Dockerfile', instructions, { step: 2, text: 'RUN exit 3' }, message)).toBe(
      `build failed at Dockerfile:3 (RUN exit 3): ${message}`,
    );
  });

  it('says only the engine words when the step is unknown or beyond the file', () => {
    expect(buildFailureReason('Dockerfile', instructions, null, 'oops')).toBe('build failed: oops');
    expect(buildFailureReason('Dockerfile', instructions, { step: 3, text: 'LABEL x' }, 'oops')).toBe('build failed: oops');
  });
});
