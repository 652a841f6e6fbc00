import { spawn, type ChildProcess } from 'node:child_process';

/** The service as a real process (`node --import tsx src/main.ts`), for crash, signal and telemetry tests. */
export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGKILL: no shutdown hook runs, as in a crash. */
  kill(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** Load src/instrumentation.ts first, as production does with dist/ (OpenTelemetry on). Default false. */
  instrumented?: boolean;
  /**
   * Resolve once it logs `listening` (everything up; the default), or with `'bound'` as soon as its
   * HTTP port answers probes, before NATS and PostgreSQL are reached.
   */
  until?: 'listening' | 'bound';
}

export async function startServiceProcess(env: Record<string, string>, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const message = options.until === 'bound' ? 'starting: [^"]*' : 'listening';
  const args = options.instrumented ? ['--import', 'tsx', '--import', './src/instrumentation.ts', 'src/main.ts'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    // The example payloads are years old and sent more than once: the event-age rule and the replay
    // check are tested on their own (replay-protection.test.ts).
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OTEL_SDK_DISABLED: options.instrumented ? 'false' : 'true', LOG_LEVEL: 'info', WEBHOOK_MAX_EVENT_AGE_SECONDS: '0', WEBHOOK_REPLAY_TTL_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = new RegExp(`"url":"(http:[^"]+)"[^\\n]*"msg":"${message}"`).exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening:\n${out}`)));
  });
  return {
    child,
    url,
    output: () => out,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
