/**
 * Well-known limits and defaults of plugboard/1. Hosts and plugins may choose other values where a
 * field or option lets them; these are what both sides assume otherwise.
 */

/** Idle time after which a plugin exits by itself when the host gave no `idle_timeout_ms`: none. */
export const DEFAULT_IDLE_TIMEOUT_MS = 0;

/** Idle timeout a host uses for plugins unless configured otherwise (5 minutes). */
export const DEFAULT_HOST_IDLE_TIMEOUT_MS = 300_000;

/** How long `EXE capabilities` may run before the host kills it. */
export const DEFAULT_CAPABILITIES_TIMEOUT_MS = 10_000;

/** How long a host waits for the handshake line (and the first `/healthz`) after spawning. */
export const DEFAULT_START_TIMEOUT_MS = 10_000;

/** How long a host waits for a call to answer unless the caller says otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/**
 * How long a plugin lets in-flight calls finish after `POST /shutdown`, SIGTERM or stdin EOF before
 * it exits anyway; a host waits at least this long before escalating to SIGTERM.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** How long a host waits after SIGTERM before SIGKILL. */
export const DEFAULT_SIGTERM_GRACE_MS = 5_000;

/** Longest unix socket path a host may choose, in bytes (the OS limit is 104–108 with the NUL). */
export const MAX_UNIX_SOCKET_PATH_BYTES = 100;

/** Longest handshake line a host reads, in characters; anything longer is a protocol error. */
export const MAX_HANDSHAKE_LINE_LENGTH = 4_096;

/** Longest stdin configuration line a plugin reads, in characters. */
export const MAX_CONFIG_LINE_LENGTH = 1_048_576;

/** Longest `capabilities` document a host reads, in characters. */
export const MAX_CAPABILITIES_LENGTH = 4_194_304;

/** Longest NDJSON line either side accepts by default, in characters. */
export const DEFAULT_MAX_NDJSON_LINE_LENGTH = 8_388_608;

/** Largest JSON request body a plugin built with the SDK accepts by default, in bytes. */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 16_777_216;

/** Longest stderr log line a host keeps, in characters; longer lines are cut. */
export const MAX_LOG_LINE_LENGTH = 16_384;
