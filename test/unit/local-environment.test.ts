import { describe, expect, it } from 'vitest';
import { localEnvSchema } from '../../local/environment.js';

describe('the local stack environment (npm start)', () => {
  it('defaults quiet hours, time zone and department limits as a deployed stack does', () => {
    // Prepare
    const environment = {};

    // Act
    const env = localEnvSchema.parse(environment);

    // Assess
    expect(env).toMatchObject({ QUIET_HOURS: '21:00-08:00', TIME_ZONE: 'Europe/London', DAILY_MESSAGE_CAP: 10_000, OPERATOR_APPROVAL_ABOVE: 2_000 });
  });

  it('reads the variables as given', () => {
    // Prepare
    const environment = { QUIET_HOURS: 'off', TIME_ZONE: 'America/New_York', DAILY_MESSAGE_CAP: '250', OPERATOR_APPROVAL_ABOVE: '1000' };

    // Act
    const env = localEnvSchema.parse(environment);

    // Assess
    expect(env).toMatchObject({ QUIET_HOURS: 'off', TIME_ZONE: 'America/New_York', DAILY_MESSAGE_CAP: 250, OPERATOR_APPROVAL_ABOVE: 1000 });
  });

  it.each([
    { variable: 'QUIET_HOURS', value: '21-8', message: /HH:MM-HH:MM/ },
    { variable: 'QUIET_HOURS', value: '25:00-08:00', message: /HH:MM-HH:MM/ },
    { variable: 'TIME_ZONE', value: 'Mars/Olympus_Mons', message: /IANA time zone/ },
    { variable: 'DAILY_MESSAGE_CAP', value: 'many', message: /number/ },
    { variable: 'OPERATOR_APPROVAL_ABOVE', value: '-5', message: />=0|greater than or equal/ },
    { variable: 'CRIER_STAFF_PASSWORD', value: 'short', message: /at least 8 characters/ },
  ])('refuses $variable=$value, naming the variable', ({ variable, value, message }) => {
    // Prepare
    const environment = { [variable]: value };

    // Act
    const result = localEnvSchema.safeParse(environment);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([variable]);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});
