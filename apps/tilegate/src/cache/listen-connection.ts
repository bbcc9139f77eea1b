/** The listener's one session to the primary (libs/database's openNotificationConnection makes it). */
export interface ListenConnection {
  query(text: string): Promise<Record<string, unknown>[]>;
  readonly processId: number | undefined;
  destroy(): void;
}

export interface ListenHandlers {
  notification(channel: string, payload: string): void;
  closed(reason: string): void;
}

/** Opens a fresh connection that reports to `handlers`; the listener calls it on every (re)connect. */
export type OpenListenConnection = (handlers: ListenHandlers) => Promise<ListenConnection>;

export interface ChangeListenerLogger {
  warn(obj: object, msg: string): void;
}

export interface ChangeListenerTiming {
  /** Notifications within this window become one event. */
  coalesceMs: number;
  /** A query this often, so a hung server, a silent network or a pooled backend is noticed... */
  pingIntervalMs: number;
  /** ...when the answer takes longer than this: about one second from hang to `lost`. */
  pingTimeoutMs: number;
  /** A notification sent to ourselves that has not come back after this long: notifications do not reach us. */
  echoTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

export const DEFAULT_LISTENER_TIMING: ChangeListenerTiming = { coalesceMs: 5, pingIntervalMs: 300, pingTimeoutMs: 700, echoTimeoutMs: 2000, reconnectInitialMs: 250, reconnectMaxMs: 5000 };
