# 1 "src/arch/structures.bf"
# 1 "<built-in>"
# 1 "<command-line>"
# 1 "src/arch/structures.bf"
-- Preprocessor output (cpp without -P): line markers must be accepted.
#pragma ignored_directive
base 64(48,1)

# 1 "include/object/structures_64.bf" 1
block notification {
    field_high ntfnBoundTCB 48
    padding 16
    field ntfnMsgIdentifier 64
    field_high ntfnQueue_head 48
    padding 16
    field_high ntfnQueue_tail 48
    padding 14
    field state 2
}
# 8 "src/arch/structures.bf" 2

block endpoint {
    field_high epQueue_head 64 - 16
    padding 16
    field_high epQueue_tail 48
    padding 14
    field state 2
}
