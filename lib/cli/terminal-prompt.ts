/** A synchronous question on the terminal, for `init`: the CLI runs synchronously. */
import * as fs from 'node:fs';

import { Prompt } from './init';

/** A prompt on this process's terminal, or `undefined` when stdin or stderr is not a terminal. */
export function terminalPrompt(): Prompt | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return (question) => {
    process.stderr.write(question);
    const buf = Buffer.alloc(1);
    const bytes: number[] = [];
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(0, buf, 0, 1, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        return undefined;
      }
      if (n === 0) return bytes.length > 0 ? Buffer.from(bytes).toString('utf8') : undefined;
      if (buf[0] === 0x0a) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
      bytes.push(buf[0]);
    }
  };
}
