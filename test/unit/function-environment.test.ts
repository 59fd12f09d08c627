import { describe, expect, it } from 'vitest';
import { secretsOf, type DeploymentSettings, type SecretId } from '../../functions/catalog-types.js';
import { functionDefinition, functionIds } from '../../functions/catalog.js';
import { deploymentBindings } from '../support/deployment-bindings.js';

/**
 * Every variable a function's env schema reads is one a deployment gives it: a setting it can
 * choose, or something the deployment binds (a table, a queue, a secret). An optional variable
 * that no deployment gives (as FLOOD_LIMIT and RECIPIENTS_PER_SEND_MESSAGE once were) is a
 * setting that looks settable and is not. The few given by something else are listed here, each
 * with where it comes from.
 */

/** A deployment that sets every setting it can, none to its default. */
const everySettingSet: DeploymentSettings = {
  defaultCountry: 'IE',
  smsProvider: 'twilio',
  whatsappProvider: 'twilio',
  smsProviders: [{ name: 'twilio' }, { name: 'aws-sms' }],
  whatsappProviders: [{ name: 'whatsapp-cloud' }, { name: 'twilio' }],
  failover: { errors: 20, windowSeconds: 90, cooldownSeconds: 600 },
  topicShards: 16,
  logLevel: 'DEBUG',
  serviceName: 'Cardiff alerts',
  serviceContact: '029 2087 2087',
  floodLimit: 5,
  recipientsPerSendMessage: 100,
  sessionIdleMinutes: 15,
  sessionMaxHours: 8,
  quietHours: '22:00-07:00',
  timeZone: 'Europe/Dublin',
  dailyMessageCap: 500,
  operatorApprovalAbove: 50,
  priceTable: { sms: { perSegment: 0.05 }, whatsapp: { perMessage: 0.01 }, currency: 'GBP' },
  sendRates: { 'twilio:sms': 30 },
  senders: [{ id: 'main', provider: 'twilio', channel: 'sms', kind: 'long_code', from: '+447700900123' }],
  retention: { messagesDays: 30, inboundDays: 30, inboxDays: 30, consentDays: 365, auditDays: 2555 },
  providerSettings: {
    TWILIO_SMS_FROM: '+447700900123',
    TWILIO_WHATSAPP_FROM: 'whatsapp:+447700900123',
    TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}`,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_CLOUD_API_VERSION: 'v25.0',
    AWS_SMS_ORIGINATION_IDENTITY: 'pool-0123456789abcdef0123456789abcdef',
    AWS_SMS_CONFIGURATION_SET: 'council-receipts',
  },
};

const secretArns: Record<SecretId, string> = {
  bootstrapKey: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:bootstrap',
  twilio: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:twilio',
  whatsappCloud: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:whatsapp',
  phoneHashKey: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:hash',
  consoleClient: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:console',
};

const bindings = deploymentBindings(everySettingSet, {
  secretArns,
  operatorKeyFile: '/var/crier/operator-key',
  signIn: { issuer: 'https://crier.council.example/oidc', clientId: 'crier-console', clientSecret: 'a-console-client-secret', firstOperatorEmail: 'ops@council.example' },
});

/** The variables no deployment's settings give, and where each comes from instead. */
const givenElsewhere: Record<string, string> = {
  AWS_REGION: 'Lambda sets it itself',
  TWILIO_ACCOUNT_SID: "in AWS the Twilio secret; locally the local stack's environment",
  TWILIO_AUTH_TOKEN: "in AWS the Twilio secret; locally the local stack's environment",
  WHATSAPP_VERIFY_TOKEN: "in AWS the WhatsApp Cloud secret; locally the local stack's environment",
  WHATSAPP_APP_SECRET: "in AWS the WhatsApp Cloud secret; locally the local stack's environment",
  WHATSAPP_CLOUD_ACCESS_TOKEN: 'in AWS the WhatsApp Cloud secret; never on the local stack',
  SANDBOX_URL: "the local stack's own sandbox",
  PHONE_HASH_KEY: "the local stack's key, kept in DATA_DIR; in AWS its secret (PHONE_HASH_KEY_SECRET_ARN)",
  TWILIO_API_BASE_URL: "tests: the fake Twilio API the adapter is pointed at",
  WHATSAPP_CLOUD_API_BASE_URL: 'tests: the fake Graph API the adapter is pointed at',
  SESSION_IDLE_MINUTES: "the console's session lengths: crier's own, no deployment's setting (its schema's default)",
  SESSION_MAX_HOURS: "the console's session lengths: crier's own, no deployment's setting (its schema's default)",
};

/** A secret's ARN is given to the functions granted that secret (to read it, or to write it: the bootstrap key's rotation). */
const secretArnVariables: Record<string, SecretId> = {
  BOOTSTRAP_KEY_SECRET_ARN: 'bootstrapKey',
  TWILIO_SECRET_ARN: 'twilio',
  WHATSAPP_CLOUD_SECRET_ARN: 'whatsappCloud',
  PHONE_HASH_KEY_SECRET_ARN: 'phoneHashKey',
  OIDC_CLIENT_SECRET_ARN: 'consoleClient',
};

describe("every function's environment", () => {
  it.each(functionIds)('%s: every variable its schema reads is given by a deployment that sets everything', (functionId) => {
    // Prepare
    const definition = functionDefinition(functionId);
    const granted = [...secretsOf(definition.access, everySettingSet), ...(definition.access.writesSecrets ?? [])];
    const expected = Object.keys(definition.envSchema.shape).filter((variable) => {
      if (variable in givenElsewhere) return false;
      const secret = secretArnVariables[variable];
      return secret === undefined || granted.includes(secret);
    });

    // Act
    const environment = definition.environment(bindings) as Record<string, string | undefined>;

    // Assess
    const missing = expected.filter((variable) => environment[variable] === undefined);
    expect(missing, `${functionId} reads these, and no deployment gives them`).toEqual([]);
    expect(definition.envSchema.safeParse(environment).error?.issues ?? []).toEqual([]);
  });

});
