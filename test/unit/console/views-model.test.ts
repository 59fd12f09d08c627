import { describe, expect, it } from 'vitest';
import { skipReasonSchema, broadcastStatusSchema } from '../../../shared/domain/model.js';
import { submitLabel } from '../../../console/views-model/broadcast-check.js';
import { areaList, broadcastDraftSchema, fieldMessage, sendAtOf } from '../../../console/views-model/broadcast-draft.js';
import { progressView, skipReasonLabels, timeline } from '../../../console/views-model/broadcast-progress.js';
import { statusLabels } from '../../../console/views-model/broadcast-summary.js';
import { subscriberBreakdown } from '../../../console/views-model/topic-view.js';
import { count } from '../../../console/views-model/format.js';
import { aBroadcast } from '../../support/builders.js';

describe('skipReasonLabels', () => {
  it.each([
    ['opted_out', 'Opted out'],
    ['duplicate', 'Already sent it on another topic'],
    ['cancelled', 'Stopped before their turn'],
    ['invalid_recipient', 'Number not valid'],
    ['missing_data', 'Missing data a placeholder needs'],
    ['whatsapp_window_closed', 'WhatsApp window closed and no template'],
    ['left_topic', 'Left the topic'],
  ] as const)('%s → %s', (reason, label) => {
    // Prepare
    const every = skipReasonSchema.options;

    // Act
    const shown = skipReasonLabels[reason];

    // Assess
    expect(shown).toBe(label);
    expect(Object.keys(skipReasonLabels).sort()).toEqual([...every].sort());
  });
});

describe('statusLabels', () => {
  it.each([
    ['draft', 'Draft', 'grey'],
    ['pending_approval', 'Waiting for approval', 'yellow'],
    ['scheduled', 'Scheduled', 'blue'],
    ['sending', 'Sending', 'light-blue'],
    ['sent', 'Sent', 'green'],
    ['cancelled', 'Stopped', 'orange'],
    ['rejected', 'Rejected', 'red'],
  ] as const)('%s → %s (%s)', (status, text, colour) => {
    // Prepare
    const every = broadcastStatusSchema.options;

    // Act
    const label = statusLabels[status];

    // Assess
    expect(label).toEqual({ text, colour });
    expect(Object.keys(statusLabels).sort()).toEqual([...every].sort());
  });
});

describe('submitLabel', () => {
  it.each([
    ['department', false, 'Submit for approval'],
    ['operator', true, 'Submit for approval'],
    ['none', false, 'Send now'],
    ['none', true, 'Schedule'],
  ] as const)('approval %s, starting later %s → %s', (approval, later, label) => {
    // Prepare, Act
    const shown = submitLabel(approval, later);

    // Assess
    expect(shown).toBe(label);
  });
});

describe('fieldMessage', () => {
  it.each([
    ['Message', 'must not be empty', 'Message must not be empty.'],
    ['Message', 'unknown placeholder "{{x}}" at character 1: use {{area}}', 'Message: unknown placeholder "{{x}}" at character 1: use {{area}}.'],
    ['Reason', 'say why, so the author can put it right', 'Reason: say why, so the author can put it right.'],
  ])('%s + %s', (label, message, expected) => {
    // Prepare, Act
    const text = fieldMessage(label, message);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('the draft', () => {
  it.each([
    ['CF10, CF11', ['CF10', 'CF11']],
    ['cf10;np\nS1', ['cf10', 'np', 'S1']],
    ['CF10 1AA', ['CF10 1AA']],
    ['  ', []],
  ])('areaList(%j)', (typed, areas) => {
    // Prepare, Act
    const list = areaList(typed);

    // Assess
    expect(list).toEqual(areas);
  });

  it.each([
    [{ day: '5', month: '3', year: '2025', time: '18:30' }, { sendAt: '2025-03-05T18:30:00.000Z' }],
    [{ day: '5', month: '7', year: '2025', time: '9.05' }, { sendAt: '2025-07-05T08:05:00.000Z' }],
    [{ day: '', month: '', year: '', time: '18:30' }, { error: { text: 'Enter the date to send it', href: '#send-at-day' } }],
    [{ day: '31', month: '4', year: '2025', time: '18:30' }, { error: { text: 'The date must be a real date', href: '#send-at-day' } }],
    [{ day: '5', month: '3', year: '2025', time: '6pm' }, { error: { text: 'Enter a time in 24-hour format, such as 18:30', href: '#time' } }],
    [{ day: '30', month: '3', year: '2025', time: '01:30' }, { error: { text: 'That time does not happen on that day: the clocks go forward. Choose another time', href: '#time' } }],
  ])('sendAtOf(%j) in London', (typed, expected) => {
    // Prepare
    const draft = broadcastDraftSchema.parse({ when: 'later', ...typed });

    // Act
    const result = sendAtOf(draft, 'Europe/London');

    // Assess
    expect(result).toEqual(expected);
  });
});

describe('the broadcast page', () => {
  it('shows counts that never contradict each other while receipts run ahead', () => {
    // Prepare
    const broadcast = aBroadcast({ fanOutPending: 0, counts: { targeted: 10, sent: 2, delivered: 5, undelivered: 0, failed: 0, skipped: 1, skippedBy: { opted_out: 1 } } });

    // Act
    const view = progressView(broadcast);

    // Assess
    expect(view.counts).toEqual({ targeted: '10', sent: '5', delivered: '5', failed: '0', skipped: '1' });
    expect(view.skippedBy).toEqual([{ reason: 'Opted out', count: '1' }]);
  });

  it('names people in the timeline, in order', () => {
    // Prepare
    const broadcast = aBroadcast({
      status: 'cancelled',
      createdBy: 'staff-1',
      createdAt: '2025-03-04T10:00:00.000Z',
      approvedBy: 'key-9',
      approvedAt: '2025-03-04T10:05:00.000Z',
      startsAt: '2025-03-04T10:05:00.000Z',
      cancelledBy: 'staff-1',
      cancelledAt: '2025-03-04T10:07:00.000Z',
    });
    const names: Record<string, string> = { 'staff-1': 'Siân', 'key-9': 'Roads integration' };

    // Act
    const entries = timeline(broadcast, (id) => names[id] ?? id, 'Europe/London', new Date('2025-03-04T10:10:00.000Z'));

    // Assess
    expect(entries).toEqual([
      { what: 'Created', who: 'Siân', when: 'Tuesday 4 March 2025 at 10:00' },
      { what: 'Approved', who: 'Roads integration', when: 'Tuesday 4 March 2025 at 10:05' },
      { what: 'Started', when: 'Tuesday 4 March 2025 at 10:05' },
      { what: 'Stopped', who: 'Siân', when: 'Tuesday 4 March 2025 at 10:07' },
    ]);
  });
});

describe("a topic's subscriber breakdown", () => {
  const texts = (rows: ReadonlyArray<ReadonlyArray<{ text: string }>>) => rows.map((cells) => cells.map((cell) => cell.text));
  it.each([
    {
      case: 'every subscription counted by language',
      counts: { total: 5, byChannel: { sms: 3, whatsapp: 2 }, byLanguage: { en: 1, cy: 2, es: 1, none: 1 } },
      languages: [['English', '1'], ['Welsh', '2'], ['Spanish', '1'], ['Not given (they receive the default language)', '1']],
    },
    {
      case: 'two subscriptions made before languages were counted',
      counts: { total: 1200, byChannel: { sms: 1000, whatsapp: 200 }, byLanguage: { en: 1000, cy: 198, es: 0, none: 0 } },
      languages: [['English', '1,000'], ['Welsh', '198'], ['Spanish', '0'], ['Not given (they receive the default language)', '0'], ['Not counted by language', '2']],
    },
  ])('$case', ({ counts, languages }) => {
    // Prepare / Act
    const breakdown = subscriberBreakdown(counts);

    // Assess
    expect(texts(breakdown.byChannel)).toEqual([['SMS', count(counts.byChannel.sms)], ['WhatsApp', count(counts.byChannel.whatsapp)], ['Total', count(counts.total)]]);
    expect(texts(breakdown.byLanguage)).toEqual(languages);
  });
});
