export { checkJobPayload, JOBS, JOBS_BY_QUEUE, QUEUES, retentionJobPayload, type CheckJobPayload, type RetentionJobPayload } from './jobs.js';
export { createQueues, enqueueChecks, enqueueRetention, type DueCheck, type Queues } from './producers.js';
export { checkEvent, userEventsChannel, type CheckEvent } from './events.js';
export { queueDepths, type QueueDepth } from './depths.js';
