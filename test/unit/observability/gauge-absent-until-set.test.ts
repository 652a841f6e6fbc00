import { expect } from 'chai';
import { Gauge, Registry } from 'prom-client';
import { GaugeAbsentUntilSet } from '../../../src/observability/gauge-absent-until-set.js';

describe('GaugeAbsentUntilSet', () => {
  it('exports no sample until it is set, where a plain gauge claims 0', async () => {
    const registry = new Registry();
    new GaugeAbsentUntilSet({ name: 'left_absent', help: 'h', registers: [registry] });
    new Gauge({ name: 'left_plain', help: 'h', registers: [registry] });
    const text = await registry.metrics();
    expect(text).to.match(/^# TYPE left_absent gauge$/m);
    expect(text).to.not.match(/^left_absent /m);
    expect(text).to.match(/^left_plain 0$/m);
  });

  it('exports the value once set, and nothing again after a reset', async () => {
    const registry = new Registry();
    const gauge = new GaugeAbsentUntilSet({ name: 'remaining', help: 'h', registers: [registry] });
    gauge.set(4321);
    expect(await registry.metrics()).to.match(/^remaining 4321$/m);
    gauge.reset();
    expect(await registry.metrics()).to.not.match(/^remaining /m);
  });
});
