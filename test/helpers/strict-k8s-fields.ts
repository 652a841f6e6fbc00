import * as k8s from '@kubernetes/client-node';

interface Attribute {
  baseName: string;
  type: string;
}

type Model = { attributeTypeMap?: Attribute[] };

const models = k8s as unknown as Record<string, Model | undefined>;

/**
 * Every field of a manifest that its Kubernetes API type does not have (what `kubectl apply
 * --validate=strict` refuses), as JSON paths. Walks the document along the field tables of
 * @kubernetes/client-node's generated models (`V1Deployment`, `V2HorizontalPodAutoscaler`, ...).
 */
export function unknownFields(doc: unknown, type = modelName(doc), at = ''): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(doc) ? doc.flatMap((item, index) => unknownFields(item, array[1]!, `${at}[${index}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return isObject(doc) ? Object.entries(doc).flatMap(([key, value]) => unknownFields(value, map[1]!, `${at}.${key}`)) : [];
  const attributes = models[type]?.attributeTypeMap;
  if (!attributes || !isObject(doc)) return [];
  return Object.entries(doc).flatMap(([key, value]) => {
    const attribute = attributes.find((candidate) => candidate.baseName === key);
    return attribute ? unknownFields(value, attribute.type, `${at}.${key}`) : [`${at}.${key}`];
  });
}

/** `apps/v1` + `Deployment` → `V1Deployment`, the model the client generates for that kind. */
export function modelName(doc: unknown): string {
  if (!isObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') throw new Error('not a Kubernetes object');
  const version = doc.apiVersion.split('/').pop()!;
  const name = `${version[0]!.toUpperCase()}${version.slice(1)}${doc.kind}`;
  if (!models[name]?.attributeTypeMap) throw new Error(`no Kubernetes model ${name} for ${doc.apiVersion} ${doc.kind}`);
  return name;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
