import { expect } from 'chai';
import { Command } from 'commander';
import { CliError } from '../../../src/cli/cli-error.js';
import { createCommandContext, wholeNumber } from '../../../src/cli/command-context.js';

const io = (env: Record<string, string | undefined> = {}) => {
  const out: string[] = [];
  return { io: { env, fetch, out: (text: string) => void out.push(text), err: () => undefined }, out };
};

describe('createCommandContext', () => {
  it('reads the configuration once from the environment given', () => {
    const context = createCommandContext(io({ ORCHESTRATOR_URL: 'http://svc:9000/' }).io);
    expect(context.config().orchestratorUrl).to.equal('http://svc:9000');
    expect(context.config()).to.equal(context.config());
  });

  it('turns a bad configuration value into a usage error (exit 2)', () => {
    const context = createCommandContext(io({ LOG_LEVEL: 'loud' }).io);
    expect(() => context.config()).to.throw(CliError).with.property('exitCode', 2);
  });

  it('prints JSON with --json and the rendering otherwise', async () => {
    const { io: cliIo, out } = io();
    const context = createCommandContext(cliIo);
    const program = new Command('t').option('--json').exitOverride();
    program.command('show').action((_options: unknown, command: Command) => context.print(command, { a: 1 }, (value) => `a is ${value.a}`));
    await program.parseAsync(['show'], { from: 'user' });
    await program.parseAsync(['--json', 'show'], { from: 'user' });
    expect(out).to.deep.equal(['a is 1\n', '{\n  "a": 1\n}\n']);
  });
});

describe('wholeNumber', () => {
  it('parses a whole number and refuses anything else as a usage error naming the option', () => {
    expect(wholeNumber('--limit')('50')).to.equal(50);
    for (const bad of ['-1', '1.5', 'ten', '', '1234567890']) {
      expect(() => wholeNumber('--limit')(bad), bad).to.throw(CliError, `--limit must be a whole number, got "${bad}"`);
    }
  });
});
