import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Secret, type SecretProps } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretId } from '../../functions/catalog-types.js';
import { providerSecretKeys, type ProviderSecretId } from '../../shared/adapters/providers/settings-source.js';

/** One secret of the deployment: its name after the stack's (`Crier/twilio`) and how it is made. */
interface SecretDefinition {
  name: string;
  props: Omit<SecretProps, 'secretName'>;
}

/**
 * A provider's credentials, as an empty template operators fill in after the first deploy: the
 * values are typed in, never deployed, so they never appear in the template or a Lambda
 * environment. CloudFormation rewrites the secret only when this template changes, so adding a
 * key here blanks what operators entered: they must fill it in again after such a deploy.
 */
function providerSecret(id: ProviderSecretId, provider: string): SecretDefinition {
  const keys = providerSecretKeys(id);
  return {
    name: id === 'whatsappCloud' ? 'whatsapp-cloud' : id,
    props: {
      description: `${provider} credentials for crier; fill in ${keys.join(', ')} (leave it as it is if the deployment does not use ${provider})`,
      secretObjectValue: Object.fromEntries(keys.map((key) => [key, SecretValue.unsafePlainText('')])),
    },
  };
}

/**
 * Every secret, by catalog id. Add one here and to `SecretId`; a function reads it only when its
 * catalog entry lists it.
 */
function secretDefinitions(consoleClientSecret: SecretValue): Record<SecretId, SecretDefinition> {
  return {
  twilio: providerSecret('twilio', 'Twilio'),
  whatsappCloud: providerSecret('whatsappCloud', 'WhatsApp Cloud API'),
  bootstrapKey: {
    name: 'bootstrap-key',
    props: {
      description: 'Operator API key of crier, so a fresh deployment can be administered at all; rotate with `crier keys rotate-bootstrap`',
      // Plain string (no JSON), usable as `Authorization: Bearer <key>` as it is.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    },
  },
  phoneHashKey: {
    name: 'phone-hash-key',
    props: {
      description: 'HMAC key crier hashes erased phone numbers with (erasure tombstones, audit log); never rotate it',
      // Generated at deploy and never seen by anyone. Not rotated, and kept if the stack is
      // deleted (as the table is): tombstones are found by it, so a new key would let an import
      // bring back every number erased before.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    },
  },
  consoleClient: {
    name: 'console-client',
    props: {
      description: "The console's client secret at the staff sign-in (Cognito's, copied at deploy); read by the console alone",
      secretStringValue: consoleClientSecret,
    },
  },
  };
}

export interface CrierSecretsProps {
  /** The console's client secret, as the identity provider made it (infra/constructs/crier-sign-in.ts). */
  consoleClientSecret: SecretValue;
}

/** The deployment's Secrets Manager secrets, one per catalog `SecretId`. */
export class CrierSecrets extends Construct {
  readonly byId: Record<SecretId, Secret>;
  /** Known at synth time, so outputs show them literally (`Secret.secretName` is an ARN parse). */
  readonly names: Record<SecretId, string>;

  constructor(scope: Construct, id: string, props: CrierSecretsProps) {
    super(scope, id);
    const namePrefix = Stack.of(this).stackName;
    const definitions = secretDefinitions(props.consoleClientSecret);
    const ids = Object.keys(definitions) as SecretId[];
    this.names = Object.fromEntries(ids.map((secretId) => [secretId, `${namePrefix}/${definitions[secretId].name}`])) as Record<SecretId, string>;
    this.byId = Object.fromEntries(
      ids.map((secretId) => [
        secretId,
        new Secret(this, pascalCase(secretId), { ...definitions[secretId].props, secretName: this.names[secretId] }),
      ]),
    ) as Record<SecretId, Secret>;
  }
}

/** `bootstrapKey` → `BootstrapKey`: construct ids as they were when each secret had its own line. */
function pascalCase(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
