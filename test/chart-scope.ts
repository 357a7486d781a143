/**
 * A chart to build constructs in. Not cdk8s's `Testing.chart()`: every call of it makes a
 * `cdk8s.outdir.*` folder under the temporary folder and never removes it (thousands per run of
 * the suite). No test synthesizes these apps to disk, so the App's outdir is never made.
 */
import { App, Chart } from 'cdk8s';

export const testChart = (): Chart => new Chart(new App(), 'test');
