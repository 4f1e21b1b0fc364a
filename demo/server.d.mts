import type { Server } from 'node:http';
export const ACCOUNT: string;
export function start(port?: number, stateDir?: string): Promise<Server>;
export function createDemo(options?: { stateDir?: string; port?: number }): {
  server: Server;
  listen(): Promise<Server>;
  state: { file: string; manifest(): any; reset(): any; update<T>(change: (manifest: any) => T): T };
  outbox: { dir: string; list(): { file: string; to: string; subject: string; date: string; raw: string }[] };
};
