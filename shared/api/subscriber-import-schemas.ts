import { z } from 'zod';
import { importColumns, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../domain/subscriber-import.js';

/**
 * The body of `POST /v1/subscribers/import`: the CSV file itself, sent as `text/csv`. Not JSON
 * with the file in a string: a file from a spreadsheet goes as it is (`curl --data-binary
 * @residents.csv`), a row's line number in an error is its line in the file, and nothing has
 * to escape quotes and line breaks twice.
 */
export const subscriberImportCsv = z.string().meta({
  description: [
    `A CSV file, header first, at most ${MAX_IMPORT_ROWS} rows and ${MAX_IMPORT_BYTES} bytes. Columns (any order; header names are not case-sensitive, "Age band" is age_band): ${importColumns.join(', ')}.`,
    'Required: phone (E.164 or national form), topic (a topic id), consent_collected_by, consent_collected_at (a date or time, not in the future), consent_method.',
    'Optional: channel (sms or whatsapp, default sms), language (en, cy, es), area (a postcode district; a full postcode is cut to its district), age_band (13-15, 16-17, 18-24, 25+).',
    'Any bad row refuses the whole file, each problem named as "line N: column". Refused too: unknown or archived topics, topics of another department, a number, topic and channel twice, numbers erased at the resident’s request, and residents who opted out on that channel or left that topic by text.',
  ].join(' '),
  examples: [
    'phone,topic,channel,language,area,age_band,consent_collected_by,consent_collected_at,consent_method\n+447700900123,youth,sms,cy,CF10,16-17,Grangetown youth club,2025-02-20,paper form\n',
  ],
});

export const subscriberImportResponse = z
  .object({
    batchId: z.string().meta({ description: 'The same for the same key and the same file: sending a file again is the same import, never a second one' }),
    rows: z.number().int(),
    imported: z.number().int().meta({ description: 'Rows subscribed by this import' }),
    alreadySubscribed: z.number().int().meta({ description: 'Rows whose resident already had the subscription: left as they were' }),
    topics: z.array(z.object({ topicId: z.string(), imported: z.number().int(), alreadySubscribed: z.number().int() })),
  })
  .meta({ id: 'SubscriberImport' });
