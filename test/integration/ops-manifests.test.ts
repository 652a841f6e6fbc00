import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { envSchema } from '../../src/config/config-schema.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { unknownFields } from '../helpers/strict-k8s-fields.js';

const OPS = path.resolve('ops');
const JOB = 'webhook-orchestrator';

/** Series Prometheus adds to every scrape target itself. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** The manifests of ops/k8s that are deployed, each checked against the matching model's schema. */
const K8S_MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/** Parsed YAML or JSON, asserted on field by field. */
type Doc = Record<string, any>;

const readYaml = (file: string): Doc => parse(readFileSync(path.join(OPS, file), 'utf8')) as Doc;
const readJson = (file: string): Doc => JSON.parse(readFileSync(path.join(OPS, file), 'utf8')) as Doc;

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects: strings, range selectors (and Grafana's
 * `$__range`-style variables inside them), label matchers and label lists are removed first,
 * then every identifier that is neither a function call nor a keyword is a metric name.
 */
function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ');
  const names = new Set<string>();
  for (const [, word, call] of bare.matchAll(/(?<![\w:.$])([A-Za-z_:][\w:]*)\s*(\()?/g)) {
    if (word !== undefined && call === undefined && !PROMQL_KEYWORDS.has(word)) names.add(word);
  }
  return [...names];
}

/** Every series name the service exports: createMetrics()'s registry, histograms expanded. */
async function exportedSeriesNames(): Promise<Set<string>> {
  const { registry } = createMetrics();
  const names = new Set(SCRAPE_SERIES);
  for (const metric of await registry.getMetricsAsJSON()) {
    // prom-client types `type` as a numeric enum, but at run time it is the exposition type name.
    const type = String(metric.type);
    const suffixes = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['', '_sum', '_count'] : [''];
    for (const suffix of suffixes) names.add(`${metric.name}${suffix}`);
  }
  registry.clear();
  return names;
}

/** The Kustomize base and its overlay adding the JetStream-lag metric to the HPA. */
const K8S_DIRS = ['k8s', 'k8s-jetstream-lag'];

/** The manifests (kustomizations aside) of ops/k8s and its overlay, `file` relative to ops/. */
function k8sDocuments(): Array<{ file: string; doc: Doc }> {
  return K8S_DIRS.flatMap((dir) =>
    readdirSync(path.join(OPS, dir))
      .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
      .sort()
      .map((file) => path.join(dir, file)),
  ).flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(OPS, file), 'utf8')).map((document) => ({ file, doc: document.toJS() as Doc })),
  );
}

/** The base's (ops/k8s itself, not an overlay's) object of that kind. */
const byKind = (kind: string): Doc => {
  const found = k8sDocuments().find(({ file, doc }) => doc.kind === kind && path.dirname(file) === 'k8s');
  if (!found) throw new Error(`no ${kind} in ops/k8s`);
  return found.doc;
};

/** Variable names the service reads (its zod schema), plus those Node and OpenTelemetry read. */
/** HEAP_MB is read by the start command (scripts/start-service.sh), before Node starts. */
const knownEnvName = (name: string): boolean =>
  name in envSchema.shape || name.startsWith('OTEL_') || name === 'NODE_OPTIONS' || name === 'HEAP_MB';

describe('promqlMetricNames', () => {
  it('finds selected metrics and ignores functions, labels, ranges, variables and keywords', () => {
    const expr =
      'histogram_quantile(0.95, sum by (le, actor) (rate(a_bucket{outcome=~"x|y"}[$__rate_interval]))) / on (job) b offset 5m > 1e-3 or on() vector(0) and absent(up{job="j"})';
    expect(promqlMetricNames(expr).sort()).to.deep.equal(['a_bucket', 'b', 'up']);
  });
});

describe('ops/grafana dashboards', () => {
  const dashboards = readdirSync(path.join(OPS, 'grafana/dashboards')).map((file) => ({ file, json: readJson(`grafana/dashboards/${file}`) }));
  const datasources = readYaml('grafana/provisioning/datasources/datasources.yml').datasources as Doc[];
  const prometheusUid = datasources.find((ds) => ds.type === 'prometheus')?.uid as string;
  const panels = dashboards.flatMap(({ file, json }) =>
    (json.panels as Doc[]).filter((panel) => panel.type !== 'row').map((panel) => ({ file, panel })),
  );

  it('are the four dashboards (System Overview, Webhook Processing, Task Execution, Error Analysis), each with its own uid', () => {
    expect(dashboards.map(({ json }) => json.title).sort()).to.deep.equal(['Error Analysis', 'System Overview', 'Task Execution', 'Webhook Processing']);
    expect(new Set(dashboards.map(({ json }) => json.uid)).size).to.equal(4);
  });

  it('query the provisioned Prometheus datasource by uid from every panel and target', () => {
    expect(prometheusUid).to.be.a('string');
    for (const { file, panel } of panels) {
      expect(panel.datasource?.uid, `${file}: ${panel.title}`).to.equal(prometheusUid);
      expect(panel.targets, `${file}: ${panel.title}`).to.be.an('array').that.is.not.empty;
      for (const target of panel.targets as Doc[]) expect(target.datasource?.uid, `${file}: ${panel.title}`).to.equal(prometheusUid);
    }
  });

  it('have unique panel ids and a layout inside the 24-column grid', () => {
    for (const { file, json } of dashboards) {
      const ids = (json.panels as Doc[]).map((panel) => panel.id as number);
      expect(new Set(ids).size, file).to.equal(ids.length);
      for (const panel of json.panels as Doc[]) expect(panel.gridPos.x + panel.gridPos.w, `${file}: ${panel.title}`).to.be.at.most(24);
    }
  });

  it('reference only metrics the service exports', async () => {
    const exported = await exportedSeriesNames();
    for (const { file, panel } of panels) {
      for (const target of panel.targets as Doc[]) {
        const names = promqlMetricNames(target.expr as string);
        expect(names, `${file}: ${panel.title}: ${target.expr}`).to.not.be.empty;
        for (const name of names) expect(exported.has(name), `${file}: ${panel.title} queries unknown metric ${name}`).to.equal(true);
      }
    }
  });
});

describe('ops/prometheus', () => {
  const rules = (readYaml('prometheus/alerts.yml').groups as Doc[]).flatMap((group) => group.rules as Doc[]);

  it('alert only on metrics the service exports', async () => {
    const exported = await exportedSeriesNames();
    for (const rule of rules) {
      for (const name of promqlMetricNames(rule.expr as string)) {
        expect(exported.has(name), `${rule.alert} uses unknown metric ${name}`).to.equal(true);
      }
    }
  });

  it('give every alert a severity, a summary and a description', () => {
    for (const rule of rules) {
      expect(rule.labels?.severity, rule.alert).to.be.oneOf(['warning', 'critical']);
      expect(rule.annotations, rule.alert).to.include.all.keys('summary', 'description');
    }
  });

  it('unit-test every alert firing in alerts.test.yml', () => {
    const tests = readYaml('prometheus/alerts.test.yml').tests as Doc[];
    const fired = new Set(
      tests.flatMap((test) => (test.alert_rule_test as Doc[]).filter((t) => (t.exp_alerts as Doc[]).length > 0).map((t) => t.alertname as string)),
    );
    expect([...fired].sort()).to.deep.equal(rules.map((rule) => rule.alert as string).sort());
  });

  it('scrape the service under the job name the alerts select', () => {
    const jobs = (readYaml('prometheus/prometheus.yml').scrape_configs as Doc[]).map((config) => config.job_name);
    expect(jobs).to.include(JOB);
    for (const rule of rules) {
      for (const [, job] of (rule.expr as string).matchAll(/job="([^"]*)"/g)) expect(job, rule.alert).to.equal(JOB);
    }
  });
});

describe('ops/k8s manifests', () => {
  it('are valid Kubernetes objects with no field their API type lacks', () => {
    const checked = [];
    for (const { file, doc } of k8sDocuments()) {
      if (doc.apiVersion === 'monitoring.coreos.com/v1') continue; // CRD, checked below
      const Model = K8S_MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model, `${file}: no model for ${doc.apiVersion} ${doc.kind}`).to.not.equal(undefined);
      expect(() => new Model!(doc as never).validate(), file).to.not.throw();
      expect(unknownFields(doc), `${file}: unknown fields`).to.deep.equal([]);
      checked.push(`${doc.kind}`);
    }
    expect(checked).to.include.members(['Deployment', 'HorizontalPodAutoscaler', 'ConfigMap', 'Service', 'PodDisruptionBudget']);
  });

  it('reject a field the API type lacks (the strict check is not blind)', () => {
    const hpa = structuredClone(byKind('HorizontalPodAutoscaler'));
    hpa.spec.metrics[0].resource.target.averageUtilisation = 70;
    hpa.spec.minReplica = 1;
    expect(unknownFields(hpa)).to.deep.equal(['.spec.metrics[0].resource.target.averageUtilisation', '.spec.minReplica']);
  });

  it('autoscale the Deployment on CPU between 2 and a bounded number of replicas', () => {
    const hpa = byKind('HorizontalPodAutoscaler');
    const deployment = byKind('Deployment');
    expect(hpa.spec.scaleTargetRef).to.deep.equal({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).to.be.at.least(2);
    expect(hpa.spec.minReplicas).to.be.at.most(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).to.be.within(hpa.spec.minReplicas + 1, 20);
    const cpu = (hpa.spec.metrics as Doc[]).find((metric) => metric.type === 'Resource');
    expect(cpu!.resource.name).to.equal('cpu');
    const [container] = deployment.spec.template.spec.containers as Doc[];
    expect(container!.resources.requests.cpu, 'utilization needs a CPU request').to.be.a('string');
  });

  it('offer the JetStream backlog as an External metric served by the prometheus-adapter rule beside it', async () => {
    const overlay = readYaml('k8s-jetstream-lag/kustomization.yaml');
    expect(overlay.resources).to.deep.equal(['../k8s']);
    expect(overlay.patches).to.deep.equal([{ path: 'hpa.yaml' }]);
    const hpa = readYaml('k8s-jetstream-lag/hpa.yaml');
    const base = byKind('HorizontalPodAutoscaler');
    expect(hpa.metadata.name).to.equal(base.metadata.name);
    // A strategic merge replaces the metrics list whole: the overlay keeps CPU.
    expect((hpa.spec.metrics as Doc[]).filter((metric) => metric.type === 'Resource')).to.deep.equal(
      (base.spec.metrics as Doc[]).filter((metric) => metric.type === 'Resource'),
    );
    const external = (hpa.spec.metrics as Doc[]).find((metric) => metric.type === 'External')!.external;
    const adapter = parse(readYaml('k8s-jetstream-lag/adapter-config.yaml').data['config.yaml'] as string) as Doc;
    const rule = (adapter.externalRules as Doc[]).find((candidate) => candidate.name.as === external.metric.name);
    expect(rule, `an adapter rule named ${external.metric.name}`).to.not.equal(undefined);
    const exported = await exportedSeriesNames();
    for (const name of promqlMetricNames((rule!.seriesQuery as string).replace(/<<[^>]*>>/g, ''))) expect(exported.has(name), name).to.equal(true);
    expect(rule!.metricsQuery, 'replicas report the same consumers: max per consumer, not a sum over pods').to.match(/max by \(namespace, consumer\)/);
  });

  it('kustomize every manifest but the Secret example and the ServiceMonitor CRD', () => {
    const kustomization = readYaml('k8s/kustomization.yaml');
    const manifests = readdirSync(path.join(OPS, 'k8s')).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...(kustomization.resources as string[])].sort()).to.deep.equal(
      manifests.filter((file) => file !== 'secret.example.yaml' && file !== 'servicemonitor.yaml').sort(),
    );
  });

  it('run two non-root replicas probed on /health/live and /health/ready, with a 15 s grace period', () => {
    const spec = byKind('Deployment').spec;
    const pod = spec.template.spec;
    const [container] = pod.containers as Doc[];
    expect(spec.replicas).to.equal(2);
    expect(pod.terminationGracePeriodSeconds).to.equal(15);
    expect(pod.securityContext.runAsNonRoot).to.equal(true);
    expect(container!.securityContext.allowPrivilegeEscalation).to.equal(false);
    expect(container!.livenessProbe.httpGet.path).to.equal('/health/live');
    expect(container!.readinessProbe.httpGet.path).to.equal('/health/ready');
    expect(container!.resources.limits.memory).to.be.a('string');
  });

  it('wire the Deployment to its ConfigMap, Secret, Service and PodDisruptionBudget', () => {
    const deployment = byKind('Deployment');
    const [container] = deployment.spec.template.spec.containers as Doc[];
    const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
    const envFrom = container!.envFrom as Doc[];
    expect(envFrom.map((source) => source.configMapRef?.name).filter(Boolean)).to.deep.equal([byKind('ConfigMap').metadata.name]);
    expect(envFrom.map((source) => source.secretRef?.name).filter(Boolean)).to.deep.equal([byKind('Secret').metadata.name]);
    const service = byKind('Service');
    expect(podLabels).to.include(service.spec.selector);
    expect(service.metadata.name, 'the Prometheus job is named after the Service').to.equal(JOB);
    const portName = service.spec.ports[0].targetPort as string;
    expect((container!.ports as Doc[]).map((port) => port.name)).to.include(portName);
    expect(byKind('PodDisruptionBudget').spec.selector).to.deep.equal(deployment.spec.selector);
    expect(byKind('ServiceMonitor').spec.endpoints[0].port).to.equal(service.spec.ports[0].name);
  });

  it('set only environment variables the service, Node or OpenTelemetry read', () => {
    const names = [...Object.keys(byKind('ConfigMap').data as Doc), ...Object.keys(byKind('Secret').stringData as Doc)];
    expect(names.filter((name) => !knownEnvName(name))).to.deep.equal([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as Doc;
  const services = compose.services as Record<string, Doc>;

  it('starts the full stack (NATS, PostgreSQL, Jaeger, Prometheus, Grafana, the orchestrator)', () => {
    expect(services).to.include.all.keys('nats', 'postgres', 'jaeger', 'prometheus', 'grafana', 'orchestrator');
  });

  it('starts the orchestrator after healthy NATS and PostgreSQL', () => {
    for (const dependency of ['nats', 'postgres']) {
      expect(services.orchestrator!.depends_on[dependency].condition).to.equal('service_healthy');
      expect(services[dependency]!.healthcheck, dependency).to.have.property('test');
    }
  });

  it('sets only environment variables the service, Node or OpenTelemetry read', () => {
    const names = Object.keys(services.orchestrator!.environment as Doc);
    expect(names).to.include('GITHUB_WEBHOOK_SECRET');
    expect(names.filter((name) => !knownEnvName(name))).to.deep.equal([]);
  });

  it('mounts only files that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(source), `${name}: ${source}`).to.equal(true);
      }
    }
  });
});
