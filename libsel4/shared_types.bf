-- Packed words shared by the kernel and user space (64-bit).
-- The first field declared takes the most significant bits; the last one
-- ends at bit 0 (seL4-abi.md section 3).
-- The build turns this file into <sel4/shared_types_gen.h>.

base 64

-- Message tag: label [63..12], capsUnwrapped [11..9], extraCaps [8..7],
-- length [6..0].
block seL4_MessageInfo {
    field label 52
    field capsUnwrapped 3
    field extraCaps 2
    field length 7
}

-- Access rights: write bit 0, read bit 1, grant bit 2, grantReply bit 3.
-- Constructor order: (grantReply, grant, read, write).
block seL4_CapRights {
    padding 60
    field capAllowGrantReply 1
    field capAllowGrant 1
    field capAllowRead 1
    field capAllowWrite 1
}

-- Guard word for CNode caps (Mint/Mutate badge argument, cspace_root_data):
-- guard [63..6], guardSize [5..0].
block seL4_CNode_CapData {
    field guard 58
    field guardSize 6
}
