package io.portunus.media.ice;

/**
 * Our role (RFC 8445 §6.1.1) and the tie-breaker that settles role conflicts, both for checks we
 * receive (§7.3.1.1) and for 487 answers to ours (§7.2.5.1). Pair priorities depend on the role,
 * so a switch recomputes them, and it abandons a nomination in progress.
 */
final class AgentRole {
    private final boolean lite;
    private final long tieBreaker;
    private final CheckList checkList;
    private final PairSelection selection;
    private final AgentOutbox outbox;
    private IceRole role;

    AgentRole(IceRole role, boolean lite, long tieBreaker, CheckList checkList, PairSelection selection,
              AgentOutbox outbox) {
        this.role = role;
        this.lite = lite;
        this.tieBreaker = tieBreaker;
        this.checkList = checkList;
        this.selection = selection;
        this.outbox = outbox;
    }

    IceRole current() {
        return role;
    }

    boolean isControlling() {
        return role == IceRole.CONTROLLING;
    }

    /**
     * RFC 8445 §7.3.1.1: the peer's check claims our role. The larger tie-breaker ends up
     * controlling: if that is the peer, we switch role; if it is us, the check must be answered
     * 487 (Role Conflict), which is what true means. A lite agent stays controlled.
     */
    boolean rejectsAsRoleConflict(StunPacket request) {
        if (role == IceRole.CONTROLLING && request.iceControlling() != null) {
            if (Long.compareUnsigned(tieBreaker, request.iceControlling()) >= 0) {
                return true;
            }
            switchTo(IceRole.CONTROLLED);
        } else if (role == IceRole.CONTROLLED && request.iceControlled() != null && !lite) {
            if (Long.compareUnsigned(tieBreaker, request.iceControlled()) >= 0) {
                switchTo(IceRole.CONTROLLING);
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 8445 §7.2.5.1: our check claiming {@code roleSent} was answered 487: switch role,
     * unless an earlier conflict already switched it since that check was sent.
     */
    void onRoleConflictAnswer(IceRole roleSent) {
        if (role == roleSent) {
            switchTo(role.opposite());
        }
    }

    private void switchTo(IceRole newRole) {
        role = newRole;
        selection.cancelNomination();
        checkList.recompute(role);
        outbox.emit(new IceEvent.RoleChanged(role));
    }
}
