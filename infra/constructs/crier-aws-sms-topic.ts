import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface CrierAwsSmsTopicProps {
  /** The queue the `awsSmsNotifications` function consumes. */
  queue: IQueue;
  /**
   * Where SNS puts a notification it could not deliver to the queue: that queue's own dead-letter
   * queue, so the same alarm fires and the same redrive puts it back on the queue it missed.
   */
  deadLetterQueue: IQueue;
}

/**
 * Where AWS End User Messaging SMS publishes: residents' texts (two-way SMS on the phone number)
 * and delivery events (the configuration set's event destination), both to this one topic, which
 * delivers them to the notifications queue. Created in every deployment, whichever SMS provider it
 * uses: idle, a topic and a queue cost nothing, and switching to aws-sms needs no new resources.
 */
export class CrierAwsSmsTopic extends Construct {
  /**
   * Not KMS-encrypted: the AWS-managed SNS key cannot grant sms-voice the use of it, and a
   * customer-managed key (with its own key policy and monthly cost) buys little, since SNS only
   * passes the notification on. At rest it sits in the SQS queue, which is encrypted.
   */
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: CrierAwsSmsTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'crier AWS SMS notifications', enforceSSL: true });
    // The service may publish for this account only (the confused-deputy guard AWS documents):
    // not for another account's phone number or configuration set pointed at this topic.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowEndUserMessagingSmsOfThisAccount',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    // Raw message delivery off: the queue receives the SNS envelope, whose TopicArn the function
    // checks against the topics it accepts, and whose MessageId identifies a redelivery in logs.
    // The subscription also gives the queue a policy that lets only this topic send to it.
    // Without a dead-letter queue SNS drops a notification once its retries (for an SQS endpoint,
    // some 100,000 over 23 days) run out, or at once when the queue refuses it (a changed key or
    // policy): and a dropped inbound text may be a resident's STOP.
    this.topic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: false, deadLetterQueue: props.deadLetterQueue }));
  }
}
