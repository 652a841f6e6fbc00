import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/config/load-config.js';
import { globMatch, loadRules, rulesFor } from '../../../src/config/load-rules.js';
import { DEFAULT_RULES } from '../../../src/config/rules-schema.js';

const file = (content: unknown) => {
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'rules-')), 'rules.json');
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
};

describe('loadRules and rulesFor', () => {
  it('gives the default rules without a file', () => {
    expect(rulesFor(loadRules(undefined), 'o/r')).to.deep.equal(DEFAULT_RULES);
    expect(DEFAULT_RULES).to.include({ fixFailedChecks: true, maxFixRunsPerPullRequest: 3 });
    expect(DEFAULT_RULES.reviewOptInLabels).to.deep.equal(['codegen:review']);
  });

  it('layers the file’s defaults and every matching repository entry, later entries winning', () => {
    const rules = loadRules(file({
      defaults: { maxFixRunsPerPullRequest: 5 },
      repositories: [
        { match: 'acme/*', ignoreChecks: ['codecov/*'], promptTemplates: { fix: 'Fix {{failed_checks}}' } },
        { match: 'acme/legacy', fixFailedChecks: false },
      ],
    }));
    expect(rulesFor(rules, 'acme/legacy')).to.include({ maxFixRunsPerPullRequest: 5, fixFailedChecks: false });
    expect(rulesFor(rules, 'acme/legacy').ignoreChecks).to.deep.equal(['codecov/*']);
    expect(rulesFor(rules, 'acme/web').promptTemplates.fix).to.equal('Fix {{failed_checks}}');
    expect(rulesFor(rules, 'other/repo')).to.include({ fixFailedChecks: true, maxFixRunsPerPullRequest: 5 });
  });

  it('refuses an unreadable or invalid file with a ConfigError naming the field', () => {
    expect(() => loadRules(file('{ not json'))).to.throw(ConfigError, /RULES_FILE/);
    expect(() => loadRules(file({ defaults: { maxFixRunsPerPullRequest: -1 } }))).to.throw(ConfigError, /defaults\.maxFixRunsPerPullRequest/);
    expect(() => loadRules(file({ defaults: { unknownRule: true } }))).to.throw(ConfigError);
  });

  it('matches globs case-insensitively, with * spanning slashes, and escapes everything else', () => {
    expect(globMatch('acme/*', 'ACME/web')).to.equal(true);
    expect(globMatch('codecov/*', 'codecov/patch/x')).to.equal(true);
    expect(globMatch('a.b', 'axb')).to.equal(false);
  });
});
