/**
 * Message headers on the GITHUB stream. GitHub's own headers are copied verbatim so an operator
 * reading `nats stream view GITHUB` sees what GitHub sent.
 */
export const GITHUB_HEADERS = {
  delivery: 'X-GitHub-Delivery',
  event: 'X-GitHub-Event',
  hookId: 'X-GitHub-Hook-ID',
  targetType: 'X-GitHub-Hook-Installation-Target-Type',
  targetId: 'X-GitHub-Hook-Installation-Target-ID',
} as const;

export const ORCHESTRATOR_HEADERS = {
  /** `<bucket>/<object name>` when the payload lives in the object store (claim check). */
  payloadRef: 'Orchestrator-Payload-Ref',
  /** SHA-256 of the payload bytes (hex), checked when a claim check is resolved. */
  payloadSha256: 'Orchestrator-Payload-Sha256',
  action: 'Orchestrator-Action',
  receivedAt: 'Orchestrator-Received-At',
  /** Set on replays and redrives so the actor knows an operator asked for it. */
  replayOf: 'Orchestrator-Replay-Of',
  deadReason: 'Orchestrator-Dead-Reason',
  deadStream: 'Orchestrator-Dead-Stream',
  deadConsumer: 'Orchestrator-Dead-Consumer',
  deadSeq: 'Orchestrator-Dead-Seq',
  deadSubject: 'Orchestrator-Dead-Subject',
} as const;

/** Message headers on the TASKS stream: the task a message names, read without decoding the body. */
export const TASK_HEADERS = { taskId: 'Orchestrator-Task-Id', taskType: 'Orchestrator-Task-Type' } as const;

export const TRACE_HEADERS = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

/**
 * Whether a header is an instruction to JetStream for the one publish that carried it
 * (`Nats-Msg-Id`, `Nats-Expected-Last-Subject-Sequence` …). JetStream stores such headers with the
 * message, so a copy (dead letter, replay, redrive) must drop them: carried over, they would make
 * the copy a duplicate or have the server refuse it.
 */
export function isPublishDirective(name: string): boolean {
  return name.toLowerCase().startsWith('nats-');
}
