/**
 * For the tests of what a cdk8s app in JavaScript can pass, which the TypeScript types refuse:
 * `as never` stands for a caller without types.
 */
import * as fs from 'node:fs';

import { App } from 'cdk8s';

import { RunaiAccessChart } from '../lib/constructs/runai-access-chart';
import { TlsSource } from '../lib/constructs/tls-source';
import { ValidationError } from '../lib/model/errors';
import { DEMO_CERT, DEMO_KEY } from './helpers';

const files = TlsSource.fromPem({ certificatePem: fs.readFileSync(DEMO_CERT), privateKeyPem: fs.readFileSync(DEMO_KEY) });

/** Makes, when called, a chart of runai.example.com with the demo certificate and `props` over them, untyped. */
export const untypedChart = (props: Record<string, unknown>) => () =>
  new RunaiAccessChart(new App(), 'prod', { clusterUrl: 'runai.example.com', tls: files, ...props } as never);

/** The message of the ValidationError `make` throws; fails the test when it throws none, or another error. */
export function validationMessage(make: () => unknown): string {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error('no ValidationError was thrown');
}
