import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { providersInUse, type DeploymentSettings } from '../../functions/catalog-types.js';

/**
 * Whether a deployment sends through AWS End User Messaging SMS at all: only then may its senders
 * call sms-voice:SendTextMessage.
 */
export function usesAwsSms(settings: DeploymentSettings): boolean {
  return providersInUse(settings).includes('aws-sms');
}

/**
 * An origination identity as an ARN pattern, and why it is no narrower when it cannot be.
 * AWS accepts a phone number as E.164, its ID or ARN; a pool as its ID or ARN; a sender ID as text.
 */
function identityResource(stack: Stack, identity: string): { resource: string; why?: string } {
  if (identity.startsWith('arn:')) return { resource: identity };
  const arn = (resourceName: string) => stack.formatArn({ service: 'sms-voice', resource: resourceName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
  if (/^phone-[0-9a-f]+$/i.test(identity)) return { resource: arn(`phone-number/${identity}`) };
  if (/^pool-[0-9a-f]+$/i.test(identity)) return { resource: arn(`pool/${identity}`) };
  if (identity.startsWith('+')) {
    return { resource: arn('phone-number/*'), why: `${identity} is a number, not its ID (phone-…) or ARN: IAM names a number by its ID, so every number of the account in this region is allowed` };
  }
  // A sender ID's ARN ends in its country (sender-id/CARDIFF/GB); the one name, any country.
  return { resource: arn(`sender-id/${identity}/*`) };
}

/**
 * The resources SendTextMessage is authorized against: the origination identities the deployment
 * names (the AWS SMS setting and any SENDERS entry for aws-sms), its configuration set, and the
 * account's opt-out lists (which one an identity checks is chosen in End User Messaging, not here).
 * Each identity that cannot be named more narrowly says why in `widened`.
 */
export function sendTextMessageGrant(stack: Stack, settings: DeploymentSettings): { statement: PolicyStatement; widened: string[] } {
  const arn = (resourceName: string) => stack.formatArn({ service: 'sms-voice', resource: resourceName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
  const configurationSet = settings.providerSettings?.AWS_SMS_CONFIGURATION_SET;
  if (!configurationSet) {
    throw new Error('the deployment sends SMS through aws-sms, which needs its configuration set: -c awsSmsConfigurationSet=<name or ARN>');
  }
  const identities = [
    settings.providerSettings?.AWS_SMS_ORIGINATION_IDENTITY,
    ...(settings.senders ?? []).filter((sender) => sender.provider === 'aws-sms').map((sender) => sender.from),
  ].filter((identity): identity is string => identity !== undefined);
  if (identities.length === 0) {
    throw new Error('the deployment sends SMS through aws-sms, which needs what to send from: -c awsSmsOriginationIdentity=<pool or phone number ID or ARN>, or aws-sms entries in -c senders');
  }
  const resolved = [...new Set(identities)].map((identity) => identityResource(stack, identity));
  const resources = [
    ...new Set([
      ...resolved.map(({ resource }) => resource),
      configurationSet.startsWith('arn:') ? configurationSet : arn(`configuration-set/${configurationSet}`),
      arn('opt-out-list/*'),
    ]),
  ];
  return {
    statement: new PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources }),
    widened: resolved.flatMap(({ why }) => (why ? [why] : [])),
  };
}
