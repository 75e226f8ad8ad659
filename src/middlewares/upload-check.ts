import { open, rm } from 'fs/promises';
import { errors } from '@strapi/utils';
import { HEAD_BYTES, uploadProblem } from '../edge/uploads/core';

async function head(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Every file uploaded to this server, by any route (the admin's media library, the content
 * API's /api/upload), is checked after strapi::body has received it and before the upload
 * plugin stores it: allowed type, and extension, declared type and content agreeing
 * (src/edge/uploads/core). The upload plugin's own `security.allowedTypes` is a second gate.
 */
export default () => async (ctx: any, next: () => Promise<void>) => {
  const received = ctx.request.files ? Object.values(ctx.request.files).flat() : [];
  for (const file of received as any[]) {
    const problem = uploadProblem({
      name: file.originalFilename ?? '',
      declaredType: file.mimetype ?? '',
      head: await head(file.filepath),
    });
    if (problem) {
      // strapi::body removes received files only after a request that did not fail.
      await Promise.all((received as any[]).map((f) => rm(f.filepath, { force: true })));
      throw new errors.ValidationError(problem);
    }
  }
  await next();
};
