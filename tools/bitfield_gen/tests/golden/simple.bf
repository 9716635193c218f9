-- Plain blocks in a 64-bit base: visible order, padding, multi-word
-- blocks, a full-word field and sizes written as expressions.
base 64

block thread_state (tsType, blockingObject, fault_ip) {
    field fault_ip 64
    padding 16
    field blockingObject (word_size - 16) - 12
    padding 8
    field tsType 4
}

block mdb_node {
    padding 16
    field_high mdbNext 46
    field mdbRevocable 1
    field mdbFirstBadged 1
    field mdbPrev 64
}

block notification_word {
    field ntfnMsgIdentifier 64
}
