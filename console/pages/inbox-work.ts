import { randomBytes } from 'node:crypto';
import type { Principal } from '../../shared/domain/model.js';
import { assignableStaff } from '../../shared/inbox/assign.js';
import type { InboxEntry } from '../../shared/inbox/inbox-store.js';
import { answeredBroadcasts } from '../answered.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { namesOf } from '../people.js';
import { may } from '../views-model/permissions.js';

/**
 * A fresh one-use token for the Send reply form: the reply's message id is made from it, so a
 * double click or the form sent again is one reply (shared/inbox/reply-to-resident.ts). 128 random bits.
 */
export function newReplyToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * What the conversation page shows of the work around a message: the broadcast it answers, who it
 * is assigned to and whom it could be, and a fresh reply token. Kept apart from the page's handler
 * so each part of the page stays small.
 */
export async function conversationWork(deps: ConsoleDependencies, principal: Principal, entry: InboxEntry) {
  const { timeZone } = deps.broadcasts.window;
  const mayHandle = may(principal, 'inbox:handle', { department: entry.department });
  const [answered, colleagues, nameOf] = await Promise.all([
    answeredBroadcasts(deps.broadcasts, [entry.broadcastId], timeZone),
    mayHandle ? assignableStaff(deps.broadcasts, principal, entry.department) : Promise.resolve([]),
    namesOf(deps.broadcasts, entry.assignedTo ? [entry.assignedTo] : []),
  ]);
  return {
    answers: answered(entry.broadcastId),
    assignedName: entry.assignedTo && nameOf(entry.assignedTo),
    assignees: [
      { value: '', text: 'Nobody', selected: entry.assignedTo === undefined },
      ...colleagues.map((staff) => ({ value: staff.id, text: staff.id === principal.keyId ? `${staff.name} (you)` : staff.name, selected: staff.id === entry.assignedTo })),
    ],
    replyToken: newReplyToken(),
  };
}
