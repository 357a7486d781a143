/** A synchronous question on the terminal, for `init`: the CLI runs synchronously. */
import * as fs from 'node:fs';
import * as tty from 'node:tty';

import { sleep } from '../output/sleep';
import { Prompt } from './init';

/** How long to wait before reading again a terminal that has nothing yet (opened non-blocking by another program). */
const POLL_MS = 20;

/**
 * A prompt on this process's terminal, or `undefined` when stdin or stderr is not a terminal.
 * Asked of the descriptors, not of `process.stdin`, which would put the terminal in non-blocking
 * mode: a read would then return at once with nothing, again and again, a core busy while the
 * admin thinks.
 */
export function terminalPrompt(): Prompt | undefined {
  if (!tty.isatty(0) || !tty.isatty(2)) return undefined;
  return (question) => {
    process.stderr.write(question);
    const buf = Buffer.alloc(1);
    const bytes: number[] = [];
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(0, buf, 0, 1, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          sleep(POLL_MS);
          continue;
        }
        return undefined;
      }
      if (n === 0) {
        // End of input (Ctrl-D): the line the terminal leaves open is ended, so the next one starts on its own.
        process.stderr.write('\n');
        return bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
      }
      if (buf[0] === 0x0a) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
      bytes.push(buf[0]);
    }
  };
}
