--
-- Generic kernel packed words: capabilities, MDB nodes, thread state,
-- endpoint and notification objects. The arch file
-- (include/arch/<arch>/structures.bf) adds its own cap blocks and declares
-- the `cap` tagged union over all of them.
--
-- Every cap is two words. The 5-bit capType tag sits at the top of
-- words[0]; the first declared field of each block fills words[1].
-- Kernel pointers are stored as field_high values: 48 canonical bits,
-- sign-extended back to the upper half when read.
--

base 64(48,1)

block null_cap {
    padding 64

    field capType 5
    padding 59
}

-- capFreeIndex counts 16-byte units (seL4_MinUntypedBits) from capPtr.
block untyped_cap {
    field capFreeIndex 48
    padding 9
    field capIsDevice 1
    field capBlockSize 6

    field capType 5
    padding 11
    field_high capPtr 48
}

block endpoint_cap(capEPBadge, capCanGrantReply, capCanGrant, capCanSend,
                   capCanReceive, capEPPtr, capType) {
    field capEPBadge 64

    field capType 5
    field capCanGrantReply 1
    field capCanGrant 1
    field capCanSend 1
    field capCanReceive 1
    padding 7
    field_high capEPPtr 48
}

block notification_cap {
    field capNtfnBadge 64

    field capType 5
    field capNtfnCanReceive 1
    field capNtfnCanSend 1
    padding 9
    field_high capNtfnPtr 48
}

-- Non-MCS reply cap: names the calling TCB. A master reply cap lives in
-- every TCB and is never handed to user level.
block reply_cap {
    field capTCBPtr 64

    field capType 5
    padding 57
    field capReplyCanGrant 1
    field capReplyMaster 1
}

-- The guard is kept in a whole word; capCNodePtr keeps bits 47..1.
block cnode_cap(capCNodeRadix, capCNodeGuardSize, capCNodeGuard,
                capCNodePtr, capType) {
    field capCNodeGuard 64

    field capType 5
    field capCNodeGuardSize 6
    field capCNodeRadix 6
    field_high capCNodePtr 47
}

block thread_cap {
    padding 64

    field capType 5
    padding 11
    field_high capTCBPtr 48
}

block irq_control_cap {
    padding 64

    field capType 5
    padding 59
}

block irq_handler_cap {
    padding 52
    field capIRQ 12

    field capType 5
    padding 59
}

-- A zombie stands for an object being destroyed. capZombieID holds the
-- object pointer with the number of remaining slots folded into its low
-- bits (see object/cnode.h); capZombieType is the radix for CNodes, or
-- ZOMBIE_TYPE_TCB.
block zombie_cap {
    field capZombieID 64

    field capType 5
    padding 52
    field capZombieType 7
}

block domain_cap {
    padding 64

    field capType 5
    padding 59
}

-- Mapping database node: a doubly linked list in depth-first order of
-- the derivation tree. Slots are 32-byte aligned, so mdbNext keeps
-- bits 47..2.
block mdb_node {
    padding 16
    field_high mdbNext 46
    field mdbRevocable 1
    field mdbFirstBadged 1

    field mdbPrev 64
}

-- Thread state: three words. blockingObject is the endpoint or
-- notification the thread waits on (16-byte aligned).
block thread_state {
    field blockingIPCBadge 64

    padding 60
    field blockingIPCCanGrant 1
    field blockingIPCCanGrantReply 1
    field blockingIPCIsCall 1
    field tcbQueued 1

    padding 16
    field_high blockingObject 44
    field tsType 4
}

-- Endpoint object (2^4 bytes): a FIFO of TCBs and what the queue holds.
block endpoint {
    field epQueue_head 64

    padding 16
    field_high epQueue_tail 46
    field state 2
}

-- Notification object (2^5 bytes).
block notification {
    padding 16
    field_high ntfnBoundTCB 48

    field ntfnMsgIdentifier 64

    padding 16
    field_high ntfnQueue_head 48

    field_high ntfnQueue_tail 48
    padding 14
    field state 2
}

-- The fault a thread is waiting to have handled (its fault IPC is in
-- flight or its handler has not replied yet). The tag values are the
-- fault labels of the ABI (seL4-abi.md 10.1).
block null_fault {
    padding 64

    padding 60
    field faultType 4
}

block cap_fault {
    field address 64

    field inReceivePhase 1
    padding 59
    field faultType 4
}

block unknown_syscall {
    field syscallNumber 64

    padding 60
    field faultType 4
}

block user_exception {
    field number 32
    field code 32

    padding 60
    field faultType 4
}

block vm_fault {
    field address 64

    field fsr 32
    field instructionFault 1
    padding 27
    field faultType 4
}

tagged_union fault faultType {
    tag null_fault 0
    tag cap_fault 1
    tag unknown_syscall 2
    tag user_exception 3
    tag vm_fault 5
}
