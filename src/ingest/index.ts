// chat-vitals/ingest: the Web-standard handler, the Node server, the stores and the option types.
export { createIngest, type Ingest } from './app';
export { startIngestServer, type RunningServer, type ServerOptions } from './server';
export type { IngestOptions } from './options';
export type { Batch, BucketQuery, CommitResult, IngestStore, Scope } from './store/types';
export { createMemoryStore } from './store/memory';
export { consoleChannel, slackPayload, webhookChannel, type AlertChannel, type AlertTransition } from './notify';
