// Validates Kubernetes objects against the published schemas of kubernetes-models and its
// @kubernetes-models CRD packages (ESM-only, so the jest suite runs this under plain node).
// Usage: node test/validate-models.mjs objects.json  ->  prints [{key, ok, error?}] as JSON.
import { readFileSync } from 'node:fs';

const MODELS = {
  'v1/Secret': 'kubernetes-models/v1/Secret',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/Namespace': 'kubernetes-models/v1/Namespace',
  'networking.k8s.io/v1/Ingress': 'kubernetes-models/networking.k8s.io/v1/Ingress',
  'cert-manager.io/v1/Certificate': '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate',
  'bitnami.com/v1alpha1/SealedSecret': '@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1/SealedSecret',
  'external-secrets.io/v1/ExternalSecret': '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret',
  'external-secrets.io/v1beta1/ExternalSecret': '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret',
  'gateway.networking.k8s.io/v1/Gateway': '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway',
  'gateway.networking.k8s.io/v1/HTTPRoute': '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute',
  'gateway.networking.k8s.io/v1beta1/ReferenceGrant': '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant',
  'argoproj.io/v1alpha1/ApplicationSet': '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet',
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization',
};

const objects = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const obj of objects) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const module = MODELS[key];
  if (!module) {
    results.push({ key, ok: false, error: 'no published schema known for this kind' });
    continue;
  }
  const Model = (await import(module))[obj.kind];
  try {
    new Model(obj).validate();
    results.push({ key, ok: true });
  } catch (e) {
    results.push({ key, ok: false, error: String(e.message).split('\n').slice(0, 3).join(' ') });
  }
}
process.stdout.write(JSON.stringify(results));
