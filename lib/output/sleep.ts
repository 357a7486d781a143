/** Waiting in a synchronous process: the CLI runs synchronously (the lock's polls, the terminal's). */

/** Made on first use: a V8 start-up snapshot (snapshot.ts) has no `SharedArrayBuffer`. */
let sleeper: Int32Array | undefined;

/** Blocks this process for `ms` milliseconds without spinning. */
export function sleep(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}
