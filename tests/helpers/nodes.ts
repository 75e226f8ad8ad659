import type { ChildProcess } from 'child_process';

const nodes = require('../../scripts/lib/nodes');

export interface StrapiNode {
  url: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

export const freePort: () => Promise<number> = nodes.freePort;
export const startNode: (env: Record<string, string>, options?: { waitReady?: boolean }) => Promise<StrapiNode> = nodes.startNode;
export const waitFor: (
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  exited?: Promise<unknown>,
) => Promise<void> = nodes.waitFor;
export const editorToken: (node: StrapiNode, email?: string) => Promise<string> = nodes.editorToken;
export const postJson: (node: StrapiNode, url: string, body: unknown, headers?: Record<string, string>) => Promise<any> = nodes.postJson;
