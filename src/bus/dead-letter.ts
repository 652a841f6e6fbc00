import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { isPublishDirective, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import { deadLetterSubject } from '../contracts/subjects.js';
import type { Topology } from '../contracts/topology.js';

/** Where a dead message came from and why it died. */
export interface DeadLetterInput {
  stream: string;
  consumer: string;
  seq: number;
  subject: string;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
  reason: string;
}

export type DeadLetterWriter = (input: DeadLetterInput) => Promise<{ seq: number }>;

/**
 * Copies a message to `dlq.<stream>.<consumer>` with the original headers plus the reason and
 * origin, and waits for the PubAck: only then may the original be terminated. The message id
 * (stream + sequence) makes a repeated attempt for the same message a no-op.
 */
export function createDeadLetterWriter(options: { js: JetStreamClient; topology: Topology; timeoutMs?: number }): DeadLetterWriter {
  const { js, topology } = options;
  return async (input) => {
    const headers = natsHeaders();
    for (const [key, values] of input.headers ?? []) {
      if (isPublishDirective(key)) continue;
      for (const value of values) headers.append(key, value);
    }
    headers.set(ORCHESTRATOR_HEADERS.deadReason, input.reason.slice(0, 1000));
    headers.set(ORCHESTRATOR_HEADERS.deadStream, input.stream);
    headers.set(ORCHESTRATOR_HEADERS.deadConsumer, input.consumer);
    headers.set(ORCHESTRATOR_HEADERS.deadSeq, String(input.seq));
    headers.set(ORCHESTRATOR_HEADERS.deadSubject, input.subject);
    const logicalStream = input.stream.slice(topology.namespace ? topology.namespace.length + 1 : 0);
    const ack = await js.publish(topology.subject(deadLetterSubject(logicalStream, input.consumer)), input.data, {
      headers,
      msgID: `dead:${input.stream}:${input.seq}`,
      timeout: options.timeoutMs ?? 5000,
    });
    return { seq: ack.seq };
  };
}
