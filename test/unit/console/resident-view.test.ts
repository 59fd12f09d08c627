import { describe, expect, it } from 'vitest';
import type { ConsentAction, ConsentEvidence } from '../../../shared/domain/model.js';
import {
  consentActionNames,
  evidenceDescriptions,
  evidenceText,
  phoneForPeople,
  profileChangeNames,
  profileChangesText,
  residentPath,
} from '../../../console/views-model/resident.js';

const names = (id: string) => ({ 'staff-1': 'Olwen Operator' })[id] ?? id;

describe('a consent record, as a page reads it', () => {
  const actions: Array<{ action: ConsentAction; text: string }> = [
    { action: 'opt_in_requested', text: 'Asked to join, not yet confirmed' },
    { action: 'opt_in', text: 'Joined' },
    { action: 'confirm', text: 'Confirmed with YES' },
    { action: 'leave', text: 'Left' },
    { action: 'opt_out', text: 'Opted out of everything' },
    { action: 'restore', text: 'Came back after opting out' },
    { action: 'profile', text: 'Changed their details' },
  ];

  it('has a row here for every action', () => {
    // Assess
    expect(actions.map(({ action }) => action).sort()).toEqual(Object.keys(consentActionNames).sort());
  });

  it.each(actions)('$action reads "$text"', ({ action, text }) => {
    // Act
    const read = consentActionNames[action];

    // Assess
    expect(read).toBe(text);
  });

  const evidence: Array<{ evidence: ConsentEvidence; text: string }> = [
    { evidence: { kind: 'inbound', provider: 'twilio', providerMessageId: 'SM123', text: 'JOIN TRAFFIC' }, text: 'Their message “JOIN TRAFFIC” (twilio message SM123)' },
    { evidence: { kind: 'admin', actor: 'staff-1', reason: 'asked by phone' }, text: 'Changed by Olwen Operator: asked by phone' },
    {
      evidence: { kind: 'import', batchId: 'batch-7', actor: 'staff-1', collectedBy: 'Youth service', collectedAt: '2025-02-01', method: 'paper form' },
      text: 'Import batch batch-7, run by Olwen Operator; consent collected by Youth service on 2025-02-01 (paper form)',
    },
  ];

  it('has a row here for every kind of evidence', () => {
    // Assess
    expect(evidence.map(({ evidence: { kind } }) => kind).sort()).toEqual(Object.keys(evidenceDescriptions).sort());
  });

  it.each(evidence)('$evidence.kind evidence names its source', ({ evidence: given, text }) => {
    // Act
    const read = evidenceText(given, names);

    // Assess
    expect(read).toBe(text);
  });

  const changes: Array<{ name: string; value: string; text: string }> = [
    { name: 'area', value: 'CF10', text: 'area CF10' },
    { name: 'ageBand', value: '16-17', text: 'age band 16-17' },
    { name: 'language', value: 'cy', text: 'language Welsh' },
    { name: 'languageSource', value: 'inferred', text: '(from the words they used)' },
  ];

  it('has a row here for every profile change it names', () => {
    // Assess
    expect(changes.map(({ name }) => name).sort()).toEqual(Object.keys(profileChangeNames).sort());
  });

  it.each(changes)('a change of $name to $value reads "$text"', ({ name, value, text }) => {
    // Act
    const read = profileChangeNames[name]!(value);

    // Assess
    expect(read).toBe(text);
  });

  it('joins a language inferred from the words with its language, and says a removed value was removed', () => {
    // Act
    const inferred = profileChangesText({ language: 'cy', languageSource: 'inferred' });
    const chosen = profileChangesText({ language: 'es', languageSource: 'chosen' });
    const removed = profileChangesText({ area: 'removed', language: 'removed' });

    // Assess
    expect(inferred).toBe('language Welsh (from the words they used)');
    expect(chosen).toBe('language Spanish');
    expect(removed).toBe('area removed, language removed');
  });
});

describe("a resident's number", () => {
  it('reads in international form, and its page path carries it URL-encoded', () => {
    // Act
    const read = phoneForPeople('+447700900123');
    const path = residentPath('+447700900123');

    // Assess
    expect(read).toBe('+44 7700 900123');
    expect(path).toBe('/console/residents/%2B447700900123');
  });
});
