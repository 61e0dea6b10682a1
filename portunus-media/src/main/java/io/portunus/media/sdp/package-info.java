/**
 * WebRTC session descriptions: the model ({@link io.portunus.media.sdp.Sdp},
 * {@link io.portunus.media.sdp.MediaSection}), its parser and writer (RFC 8866, lossless round
 * trip), ICE candidates ({@link io.portunus.media.sdp.Candidate}, RFC 8839), and the EchoTest's
 * answer ({@link io.portunus.media.sdp.EchoAnswer}, RFC 3264 / RFC 8829) shaped like Janus's.
 * Pure code: no I/O, no clocks, no randomness.
 */
package io.portunus.media.sdp;
