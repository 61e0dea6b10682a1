package io.portunus.media.ice;

/** What the agent reports through {@link IceAgent#pollEvents()}, in the order it happened. */
public sealed interface IceEvent {

    /** The agent's state changed (see {@link IceState} for the meaning of each). */
    record StateChanged(IceState state) implements IceEvent {
    }

    /**
     * A new pair was selected: media goes to {@code remote.address()} from the socket bound to
     * {@code local.address()}. Happens first when a pair works (CONNECTED), again on nomination,
     * and whenever the controlling side nominates another pair.
     */
    record SelectedPair(IceCandidate local, IceCandidate remote) implements IceEvent {
    }

    /**
     * A local peer-reflexive candidate learnt from a check response (RFC 8445 §7.2.5.3.1). Not
     * to be signalled to the peer; reported for describe()/debugging only.
     */
    record LocalCandidate(IceCandidate candidate) implements IceEvent {
    }

    /** A remote peer-reflexive candidate learnt from a check we received (RFC 8445 §7.3.1.3). */
    record RemoteCandidate(IceCandidate candidate) implements IceEvent {
    }

    /** The role changed because of a role conflict (RFC 8445 §7.3.1.1, §7.2.5.1). */
    record RoleChanged(IceRole role) implements IceEvent {
    }

    /** No consent response for the consent timeout (RFC 7675 §5.1): stop sending media. */
    record ConsentLost() implements IceEvent {
    }
}
