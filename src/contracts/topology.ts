import { PAYLOAD_BUCKET, STREAMS } from './subjects.js';

/**
 * Where the service's streams, subjects and object store live on a NATS server. With an empty
 * namespace the names are the plain ones (GITHUB, `github.>` …). A namespace (NATS_NAMESPACE) prefixes
 * stream names, subjects and the bucket, so several environments — or test runs — can share
 * one server without seeing each other's messages.
 */
export interface Topology {
  readonly namespace: string;
  readonly streams: { readonly github: string; readonly tasks: string; readonly dlq: string };
  readonly payloadBucket: string;
  /** The KV bucket of the missed-delivery recovery's lease. */
  readonly recoveryBucket: string;
  /** Stream name for a definition file's name (`GITHUB` → `<ns>_GITHUB`). */
  streamName(name: string): string;
  /** The wire subject for a logical one (`github.push.none` → `<ns>.github.push.none`). */
  subject(logical: string): string;
  /** The logical subject of a wire subject; inverse of {@link subject}. */
  logicalSubject(wire: string): string;
}

const NAMESPACE = /^[A-Za-z0-9_-]*$/;

export function createTopology(namespace = ''): Topology {
  if (!NAMESPACE.test(namespace)) {
    throw new RangeError(`NATS namespace "${namespace}" may contain only letters, digits, "_" and "-"`);
  }
  const streamName = (name: string) => (namespace ? `${namespace}_${name}` : name);
  const subjectPrefix = namespace ? `${namespace}.` : '';
  return Object.freeze({
    namespace,
    streams: Object.freeze({
      github: streamName(STREAMS.github),
      tasks: streamName(STREAMS.tasks),
      dlq: streamName(STREAMS.dlq),
    }),
    payloadBucket: namespace ? `${namespace}_${PAYLOAD_BUCKET}` : PAYLOAD_BUCKET,
    recoveryBucket: namespace ? `${namespace}_recovery` : 'recovery',
    streamName,
    subject: (logical: string) => `${subjectPrefix}${logical}`,
    logicalSubject: (wire: string) =>
      subjectPrefix && wire.startsWith(subjectPrefix) ? wire.slice(subjectPrefix.length) : wire,
  });
}
