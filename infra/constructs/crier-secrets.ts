import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretId } from '../../functions/catalog-types.js';

/**
 * The keys operators fill in after the first deploy. Functions read this JSON at run time with
 * the same names the local stack takes from its environment (see `providerEnvSchema`), so the
 * credentials never appear in a Lambda environment or in the template. Only the providers a
 * deployment uses need filling in; a key left blank is ignored. (WHATSAPP_CLOUD_API_VERSION may be
 * added to pin another Graph API version.)
 */
export const providerCredentialKeys = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_SMS_FROM',
  'TWILIO_WHATSAPP_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'WHATSAPP_CLOUD_ACCESS_TOKEN',
  'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_APP_SECRET',
  'AWS_SMS_ORIGINATION_IDENTITY',
  'AWS_SMS_CONFIGURATION_SET',
] as const;

/** The deployment's Secrets Manager secrets, one per catalog `SecretId`. */
export class CrierSecrets extends Construct {
  readonly byId: Record<SecretId, Secret>;
  /** Known at synth time, so outputs show them literally (`Secret.secretName` is an ARN parse). */
  readonly names: Record<SecretId, string>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const namePrefix = Stack.of(this).stackName;
    this.names = {
      providerCredentials: `${namePrefix}/provider-credentials`,
      bootstrapKey: `${namePrefix}/bootstrap-key`,
      phoneHashKey: `${namePrefix}/phone-hash-key`,
    };
    const providerCredentials = new Secret(this, 'ProviderCredentials', {
      secretName: this.names.providerCredentials,
      description: `Provider credentials for crier; fill in ${providerCredentialKeys.join(', ')}`,
      // An empty template, not a secret: the values are typed in by operators, never deployed.
      // CloudFormation rewrites the secret only when this template changes, so adding a key
      // here blanks what operators entered: they must fill it in again after such a deploy.
      secretObjectValue: Object.fromEntries(
        providerCredentialKeys.map((key) => [key, SecretValue.unsafePlainText('')]),
      ),
    });
    const bootstrapKey = new Secret(this, 'BootstrapKey', {
      secretName: this.names.bootstrapKey,
      description: 'Operator API key of crier, so a fresh deployment can be administered at all',
      // Plain string (no JSON), usable as `Authorization: Bearer <key>` as it is.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    const phoneHashKey = new Secret(this, 'PhoneHashKey', {
      secretName: this.names.phoneHashKey,
      description: 'HMAC key crier hashes erased phone numbers with (erasure tombstones, audit log); never rotate it',
      // Generated at deploy and never seen by anyone. Not rotated, and kept if the stack is
      // deleted (as the table is): tombstones are found by it, so a new key would let an import
      // bring back every number erased before.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.byId = { providerCredentials, bootstrapKey, phoneHashKey };
  }
}
