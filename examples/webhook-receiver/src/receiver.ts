import http from 'http';
import { verifyWebhook, type ChangeMessage } from './verify';

/**
 * A partner's webhook endpoint: verifies each request, answers 401 to a bad signature, and acts
 * once per webhook-id (the knowledge base delivers at least once: a retry after a lost answer
 * carries the same id). `handle` should be quick; a 2xx answer is the acknowledgement.
 */
export function webhookReceiver(
  secret: string,
  handle: (message: ChangeMessage) => void | Promise<void>,
  seen = new Set<string>(),
): http.Server {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const message = verifyWebhook(secret, Buffer.concat(chunks).toString('utf8'), req.headers);
      if (!message) {
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        await handle(message);
        seen.add(id);
      }
      res.writeHead(204).end();
    });
  });
}

// KB_WEBHOOK_SECRET=whsec_… PORT=8080 node dist/receiver.js: prints what changed.
if (require.main === module) {
  const secret = process.env.KB_WEBHOOK_SECRET ?? '';
  webhookReceiver(secret, (message) => console.log(message.data.action, message.data.type, message.data.slug, message.data.locale)).listen(
    Number(process.env.PORT ?? 8080),
  );
}
