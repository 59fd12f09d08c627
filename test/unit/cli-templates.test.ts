import { describe, expect, it } from 'vitest';
import { templateContentFrom } from '../../cli/commands/templates.js';

const current = {
  name: 'Road closed',
  folder: 'Roads',
  body: 'The ((road)) is closed.',
  variants: { cy: 'Mae ((road)) ar gau.' },
  whatsappTemplate: { name: 'road_closed', language: 'en_GB', parameters: ['((road))'] },
};

describe('crier templates edit', () => {
  it.each([
    ['keeps everything not named', {}, current],
    ['changes the body only', { body: 'Shut.' }, { ...current, body: 'Shut.' }],
    ['removes the Welsh text with an empty --welsh', { welsh: '' }, { name: current.name, folder: 'Roads', body: current.body, whatsappTemplate: current.whatsappTemplate }],
    ['removes the folder with an empty --folder', { folder: '' }, { name: current.name, body: current.body, variants: current.variants, whatsappTemplate: current.whatsappTemplate }],
    ['removes the WhatsApp template with an empty --whatsapp-template', { whatsappTemplate: '' }, { name: current.name, folder: 'Roads', body: current.body, variants: current.variants }],
    ['adds Spanish beside the Welsh', { spanish: 'Cerrada.' }, { ...current, variants: { cy: current.variants.cy, es: 'Cerrada.' } }],
    ['replaces the parameters', { whatsappParameter: ['A470', 'tonight'] }, { ...current, whatsappTemplate: { ...current.whatsappTemplate, parameters: ['A470', 'tonight'] } }],
  ])('%s', (_case, options, expected) => {
    // Act
    const content = templateContentFrom(current, options);

    // Assess
    expect(content).toEqual(expected);
  });
});
