import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

// Validated offline against the Kubernetes API's JSON schemas that kubernetes-models ships.
const base = join(import.meta.dirname, '../../deploy/kubernetes/base');
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifests are checked by schema below
}

const kustomization = parse(readFileSync(join(base, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(base, file), 'utf8')).map((doc) => doc.toJSON() as Manifest),
);
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const procfileTypes = readFileSync(join(import.meta.dirname, '../../Procfile'), 'utf8')
  .split('\n')
  .map((line) => line.split(':')[0]!.trim())
  .filter((type) => type.length > 0);

describe('the Kubernetes manifests', () => {
  it('are all valid objects of the Kubernetes API', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(10);
    for (const manifest of manifests) {
      const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `${manifest.apiVersion} ${manifest.kind} has a schema`).toBeDefined();
      expect(() => new Model!(manifest as never).validate(), `${manifest.kind}/${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('run every long-running Procfile type as a Deployment and the release as a Job', () => {
    expect(procfileTypes).toEqual(expect.arrayContaining(['release', 'web', 'worker', 'clock']));
    for (const type of procfileTypes.filter((t) => t !== 'release')) {
      const deployment = find('Deployment', `watchpost-${type}`);
      expect(deployment, type).toBeDefined();
      expect(deployment!.spec.template.spec.containers[0].command.join(' ')).toContain(`apps/${type}/dist/main.js`);
    }
    expect(find('Job', 'watchpost-release')!.spec.template.spec.containers[0].command).toContain('dbmate');
  });

  it('start no app process before the release has applied every migration', () => {
    for (const type of procfileTypes.filter((t) => t !== 'release')) {
      const init = find('Deployment', `watchpost-${type}`)!.spec.template.spec.initContainers?.[0];
      expect(init?.command.join(' '), type).toMatch(/dbmate .*status --exit-code/);
    }
  });

  it('probe web on /readyz and /healthz and give it longer to stop than the app needs', () => {
    const pod = find('Deployment', 'watchpost-web')!.spec.template.spec;
    const web = pod.containers[0];
    expect(web.readinessProbe.httpGet.path).toBe('/readyz');
    expect(web.livenessProbe.httpGet.path).toBe('/healthz');
    const config = find('ConfigMap', 'watchpost-config') as unknown as { data: Record<string, string> };
    const drain = Number(web.env.find((e: { name: string }) => e.name === 'READINESS_DRAIN_SECONDS').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(config.data.SHUTDOWN_GRACE_SECONDS) + drain);
  });

  it('request resources for every container', () => {
    for (const m of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
      for (const container of [...m.spec.template.spec.containers, ...(m.spec.template.spec.initContainers ?? [])]) {
        expect(container.resources?.requests?.cpu, m.metadata.name).toBeDefined();
        expect(container.resources?.requests?.memory, m.metadata.name).toBeDefined();
      }
    }
  });

  it('autoscale web and worker, protect web with a disruption budget, and route the ingress to web', () => {
    const targets = manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').map((m) => m.spec.scaleTargetRef.name);
    expect(targets.sort()).toEqual(['watchpost-web', 'watchpost-worker']);
    for (const name of targets) expect(find('Deployment', name)).toBeDefined();

    const webLabels = find('Deployment', 'watchpost-web')!.spec.template.metadata.labels;
    expect(webLabels).toMatchObject(find('PodDisruptionBudget', 'watchpost-web')!.spec.selector.matchLabels);
    const service = find('Service', 'watchpost-web')!;
    expect(webLabels).toMatchObject(service.spec.selector);
    expect(service.spec.sessionAffinity).toBe('None');
    const backend = find('Ingress', 'watchpost-web')!.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
  });
});
