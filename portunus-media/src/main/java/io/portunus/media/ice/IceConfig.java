package io.portunus.media.ice;

/**
 * Timers and limits of an {@link IceAgent}; all durations in microseconds.
 *
 * @param streamId               reported as {@code stream_id} in {@link IceAgent#describe()}
 * @param taMicros               pacing between new checks, Ta (RFC 8445 §14.2; default 50 ms)
 * @param minRtoMicros           floor of a check's first RTO (RFC 8445 §14.3: 500 ms)
 * @param maxRtoMicros           cap of the doubling RTO; WebRTC agents cap it so a check gives
 *                               up within seconds rather than RFC 5389's ~40 s
 * @param maxRequests            transmissions per check, Rc (RFC 5389 §7.2.1: 7)
 * @param nominationDelayMicros  controlling: how long to wait for a better pair after the first
 *                               valid one before nominating the best valid pair (regular
 *                               nomination, RFC 8445 §8.1.1)
 * @param consentMinMicros       consent check interval, lower bound (RFC 7675 §5.1: 4 s)
 * @param consentMaxMicros       consent check interval, upper bound (6 s)
 * @param consentTimeoutMicros   consent expires this long after the last response (30 s)
 * @param failureTimeoutMicros   FAILED this long after start with no working pair once the
 *                               remote candidates are complete (Janus: ~5 s after 'failed';
 *                               we choose 10 s after start)
 * @param hardFailureTimeoutMicros FAILED this long after start with no working pair even if
 *                               end-of-candidates never came (Janus hangs up after 15 s)
 * @param keepaliveMicros        ice-lite: Binding indication interval on the selected pair
 *                               (RFC 8445 §11, Tr = 15 s); full agents send consent checks
 * @param nominationHoldMicros   controlled: a nomination of a lower-priority pair only replaces
 *                               the selected pair if the selected one was not nominated within
 *                               this time (tolerates aggressive nomination, follows
 *                               renomination by browsers)
 */
public record IceConfig(int streamId, long taMicros, long minRtoMicros, long maxRtoMicros, int maxRequests,
                        long nominationDelayMicros, long consentMinMicros, long consentMaxMicros,
                        long consentTimeoutMicros, long failureTimeoutMicros, long hardFailureTimeoutMicros,
                        long keepaliveMicros, long nominationHoldMicros) {

    public static IceConfig defaults() {
        return new IceConfig(1, 50_000, 500_000, 1_600_000, 7, 1_000_000, 4_000_000, 6_000_000,
                30_000_000, 10_000_000, 15_000_000, 15_000_000, 3_000_000);
    }

    public IceConfig withStreamId(int id) {
        return new IceConfig(id, taMicros, minRtoMicros, maxRtoMicros, maxRequests, nominationDelayMicros,
                consentMinMicros, consentMaxMicros, consentTimeoutMicros, failureTimeoutMicros,
                hardFailureTimeoutMicros, keepaliveMicros, nominationHoldMicros);
    }
}
