import { expect } from 'chai';
import { planInstallation } from '../../../../src/actors/installation/plan-installation.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

type InstallationPayload = Record<string, any>;

const installation = (action: string): InstallationPayload => examplePayload('installation', (p) => p.action === action);

describe('planInstallation', () => {
  it('records a new installation with its account, selection and repositories', () => {
    const payload = installation('created');
    const inst = payload.installation;
    expect(planInstallation(envelopeOf('installation', payload))).to.deep.equal({
      kind: 'upsert',
      id: inst.id,
      accountLogin: inst.account.login,
      accountType: inst.account.type,
      targetType: inst.target_type,
      repositorySelection: inst.repository_selection,
      repositories: payload.repositories.map((repo: { full_name: string }) => repo.full_name),
      status: 'active',
    });
  });

  it('records accepted new permissions as an active installation', () => {
    const payload = installation('new_permissions_accepted');
    expect(planInstallation(envelopeOf('installation', payload))).to.deep.include({ kind: 'upsert', id: payload.installation.id, status: 'active' });
  });

  it('maps deleted, suspend and unsuspend to the status they leave the installation in', () => {
    const expected = { deleted: 'deleted', suspend: 'suspended', unsuspend: 'active' } as const;
    for (const [action, status] of Object.entries(expected)) {
      const payload = installation(action);
      expect(planInstallation(envelopeOf('installation', payload)), action).to.deep.include({ kind: 'upsert', id: payload.installation.id, status });
    }
  });

  it('changes only the status when a status change names no account', () => {
    const payload = installation('suspend');
    delete payload.installation.account;
    expect(planInstallation(envelopeOf('installation', payload))).to.deep.equal({ kind: 'status', id: payload.installation.id, status: 'suspended' });
  });

  it('ignores a creation without an account and actions that change nothing kept', () => {
    const created = installation('created');
    created.installation.account = null;
    expect(planInstallation(envelopeOf('installation', created))).to.deep.equal({ kind: 'ignore', reason: 'installation without an account' });
    const other = installation('created');
    other.action = 'new_permissions_requested';
    expect(planInstallation(envelopeOf('installation', other))).to.deep.equal({
      kind: 'ignore',
      reason: 'installation action new_permissions_requested changes nothing we keep',
    });
  });

  it('turns repositories added to an installation into one change', () => {
    const payload = examplePayload('installation_repositories', (p) => p.action === 'added') as InstallationPayload;
    expect(planInstallation(envelopeOf('installation_repositories', payload))).to.deep.equal({
      kind: 'repositories',
      id: payload.installation.id,
      added: payload.repositories_added.map((repo: { full_name: string }) => repo.full_name),
      removed: [],
      repositorySelection: payload.installation.repository_selection,
    });
  });

  it('turns repositories removed from an installation into one change', () => {
    const payload = examplePayload('installation_repositories', (p) => p.action === 'removed') as InstallationPayload;
    expect(planInstallation(envelopeOf('installation_repositories', payload))).to.deep.include({
      kind: 'repositories',
      added: [],
      removed: payload.repositories_removed.map((repo: { full_name: string }) => repo.full_name),
    });
  });

  it('ignores a payload that describes no installation instead of throwing', () => {
    expect(planInstallation(envelopeOf('installation', examplePayload('push')))).to.deep.equal({
      kind: 'ignore',
      reason: 'payload does not describe an installation',
    });
  });
});
