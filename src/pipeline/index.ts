export { createPipeline } from './pipeline';
export type { Pipeline, PipelineOptions, PipelineStats, Header } from './types';
