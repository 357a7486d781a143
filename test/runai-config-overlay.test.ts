import { ApiObject, JsonPatch, Testing } from 'cdk8s';

import { RunaiConfigOverlay } from '../lib/constructs/runai-config-overlay';
import { testChart } from './chart-scope';

describe('RunaiConfigOverlay', () => {
  test('is the partial RunaiConfig runai/runai with only spec.global.subdomainSupport: true', () => {
    const chart = testChart();
    new RunaiConfigOverlay(chart, 'RunaiConfig');
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'run.ai/v1',
        kind: 'RunaiConfig',
        metadata: {
          name: 'runai',
          namespace: 'runai',
          annotations: {
            'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false,ServerSideApply=true',
            'kustomize.toolkit.fluxcd.io/prune': 'disabled',
            'kustomize.toolkit.fluxcd.io/ssa': 'Merge',
          },
        },
        spec: { global: { subdomainSupport: true } },
      },
    ]);
  });

  test('can switch subdomain support off', () => {
    const chart = testChart();
    new RunaiConfigOverlay(chart, 'RunaiConfig', { subdomainSupport: false });
    expect(Testing.synth(chart)[0].spec).toEqual({ global: { subdomainSupport: false } });
  });

  test('its Resource child takes JSON patches as an escape hatch', () => {
    const chart = testChart();
    const overlay = new RunaiConfigOverlay(chart, 'RunaiConfig');
    ApiObject.of(overlay.resource).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'platform' }));
    expect(overlay.node.findChild('Resource')).toBe(overlay.resource);
    expect(Testing.synth(chart)[0].metadata.labels).toEqual({ team: 'platform' });
  });
});
