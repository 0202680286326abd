/** Where the SDK's own complaints go (an unreachable collector, a rejected export): the process logger. */
export interface TracingLog {
  warn(fields: object, message: string): void;
}

/** A started SDK: `shutdown` exports what is still queued, then stops. */
export interface TracingHandle {
  shutdown(): Promise<void>;
}
