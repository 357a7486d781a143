/** Flag values the parser refuses, through the CLI's run() (in this process). */
import { runInProcess, tempDir } from './helpers';

describe('--warn-days', () => {
  test.each([
    ['a negative number', ['--warn-days', '-1']],
    ['another option where the number goes', ['--warn-days', '--strict']],
  ])('fails when it is followed by %s: says the range, not how to pass a "-" value (exit 2)', (_what, args) => {
    expect(runInProcess(['validate', ...args], { cwd: tempDir() })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'runai-access: --warn-days: needs a whole number of days from 0 to 3650; what follows it starts with "-"\n',
    });
  });
  test('fails when it has no value at all, saying the range (exit 2)', () => {
    expect(runInProcess(['validate', '--warn-days'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --warn-days: needs a whole number of days from 0 to 3650\n',
    );
  });
  test('fails when it is given as --warn-days=-1, with the value (exit 2)', () => {
    expect(runInProcess(['validate', '--warn-days=-1'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --warn-days: must be a whole number of days from 0 to 3650, got -1\n',
    );
  });
  test('fails when a flag that takes any text is followed by an option: says how to give a "-" value (exit 2)', () => {
    expect(runInProcess(['validate', '--config', '-x'], { cwd: tempDir() }).stderr).toBe(
      'runai-access: --config: needs a value; to give one that starts with "-", write --config=VALUE\n',
    );
  });
});
