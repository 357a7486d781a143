#!/usr/bin/env node
// Thin entry: everything, including the mapping of errors to exit codes, lives in lib/cli.ts.
import { runAsync } from './lib/cli/run';
import { terminalPrompt } from './lib/cli/terminal-prompt';

if (require.main === module) {
  void runAsync(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, prompt: terminalPrompt() }).then((code) => {
    process.exitCode = code;
  });
}
