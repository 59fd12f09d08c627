import type { AgeBand } from '../shared/domain/profile.js';
import type { Language } from '../shared/domain/language.js';
import type { Channel } from '../shared/domain/model.js';
import type { AdminApi } from './admin-api.js';

/**
 * The benchmark's residents: a deterministic population (same --subscribers, same residents) over
 * three overlapping topics, with varied channels, areas, languages and age bands, plus a small
 * area topic for the urgent run. Who they are lives here; how they are written is seed.ts's.
 */

export interface BenchTopic {
  id: string;
  name: string;
  keywords: string[];
  /** Share of residents who join it. */
  share: number;
}

export const BROADCAST_TOPICS: BenchTopic[] = [
  { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], share: 0.6 },
  { id: 'youth', name: 'Youth services', keywords: ['YOUTH'], share: 0.35 },
  { id: 'news', name: 'Council news', keywords: ['NEWS'], share: 0.5 },
];

/** Traffic alerts for one district: the urgent run's audience (traffic subscribers in CF10). */
export const URGENT_TOPIC: BenchTopic = { id: 'traffic-cf10', name: 'Traffic alerts CF10', keywords: ['CF10'], share: 0 };
const URGENT_AREA = 'CF10';

const AREAS = Array.from({ length: 15 }, (_, index) => `CF${10 + index}`);
const LANGUAGES: [Language, number][] = [
  ['en', 0.7],
  ['cy', 0.25],
  ['es', 0.05],
];
const AGE_BANDS: AgeBand[] = ['13-15', '16-17', '18-24', '25+'];
const WHATSAPP_SHARE = 0.15;

export interface Resident {
  phone: string;
  channel: Channel;
  topics: string[];
  area: string;
  language: Language;
  ageBand: AgeBand;
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same residents. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function population(count: number): Resident[] {
  const next = random(20_240_601);
  const residents: Resident[] = [];
  for (let index = 0; index < count; index += 1) {
    const topics = BROADCAST_TOPICS.filter((topic) => next() < topic.share).map((topic) => topic.id);
    if (topics.length === 0) topics.push(BROADCAST_TOPICS[Math.floor(next() * BROADCAST_TOPICS.length)]!.id);
    const area = AREAS[Math.floor(next() * AREAS.length)]!;
    if (area === URGENT_AREA && topics.includes('traffic')) topics.push(URGENT_TOPIC.id);
    let draw = next();
    const language = LANGUAGES.find(([, share]) => (draw -= share) < 0)?.[0] ?? 'en';
    residents.push({
      // +44 74xx xxxxxx: UK mobile numbers, one per resident.
      phone: `+4474${String(index).padStart(8, '0')}`,
      channel: next() < WHATSAPP_SHARE ? 'whatsapp' : 'sms',
      topics,
      area,
      language,
      ageBand: AGE_BANDS[Math.floor(next() * AGE_BANDS.length)]!,
    });
  }
  return residents;
}

export async function createTopics(api: AdminApi): Promise<void> {
  for (const topic of [...BROADCAST_TOPICS, URGENT_TOPIC]) {
    await api.expect(201, 'POST', '/v1/topics', { id: topic.id, name: topic.name, keywords: topic.keywords });
  }
}
