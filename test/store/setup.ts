// The store project's global setup: one Postgres server for its tests (each
// test makes its own database on it), stopped at the end.
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide('postgres', server.url);
  return () => server.stop();
}
