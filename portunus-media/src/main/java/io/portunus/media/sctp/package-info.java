/**
 * SCTP over DTLS for WebRTC data channels (RFC 8261, RFC 4960, RFC 3758, RFC 6525) and the
 * data channel establishment protocol (RFC 8832), sans-IO: the caller feeds received packets
 * and its clock in, and takes packets and events out. No sockets, threads or clock reads.
 */
package io.portunus.media.sctp;
