import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** What the knowledge base posts: a change-feed entry, public fields only. */
export interface ChangeMessage {
  type: 'change.published' | 'change.updated' | 'change.unpublished' | 'change.deleted';
  timestamp: string;
  data: {
    cursor: string;
    type: string;
    documentId: string;
    slug: string;
    locale: string;
    action: 'PUBLISHED' | 'UPDATED' | 'UNPUBLISHED' | 'DELETED';
    at: string;
  };
}

/**
 * Checks a webhook request: `rawBody` exactly as received (before any JSON parsing), the
 * request's headers, and the subscription's secret (whsec_…). Returns the message when the
 * signature is the knowledge base's and the timestamp is within five minutes; null otherwise
 * (answer 400 or 401, and do not act on it).
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): ChangeMessage | null {
  const header = (name: string) => [headers[name]].flat()[0] ?? '';
  try {
    return new Webhook(secret).verify(rawBody, {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    }) as ChangeMessage;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return null;
    throw error;
  }
}
