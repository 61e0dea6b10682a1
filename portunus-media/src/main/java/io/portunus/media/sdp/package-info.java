/**
 * WebRTC session descriptions: the model ({@link Sdp},
 * {@link MediaSection}), its parser and writer (RFC 8866, lossless round
 * trip), ICE candidates ({@link Candidate}, RFC 8839), and the EchoTest's
 * answer ({@link EchoAnswer}, RFC 3264 / RFC 8829) shaped like Janus's.
 * Pure code: no I/O, no clocks, no randomness.
 */
package io.portunus.media.sdp;
