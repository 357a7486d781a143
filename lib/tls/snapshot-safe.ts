/**
 * Caches of parsed certificates live for one process. They hold native handles
 * (`X509Certificate`, `KeyObject`) that a V8 start-up snapshot cannot store: when `snapshot.ts`
 * builds one after a warm-up run, each cache registered here is emptied just before V8
 * serializes the heap. In any other run this does nothing.
 */
import { startupSnapshot } from 'node:v8';

/** Runs `forget` before a start-up snapshot is written, if one is being built. */
export function forgetBeforeSnapshot(forget: () => void): void {
  if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.addSerializeCallback(forget);
}
