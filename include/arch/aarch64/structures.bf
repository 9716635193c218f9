--
-- AArch64 packed words: the arch caps, the `cap` union over every cap
-- block (generic and arch), and the VMSAv8-64 translation-table entries
-- (4 KiB granule). Tag values are the ones seL4_DebugCapIdentify reports
-- (seL4-abi.md 13.6, AArch64 column).
--

#include <object/structures.bf>

base 64(48,1)

-- capFSize: ARMSmallPage (4 KiB), ARMLargePage (2 MiB), ARMHugePage (1 GiB).
-- A frame cap is mapped iff capFMappedASID != 0 (ASID 0 is never handed out).
block frame_cap {
    field capFMappedASID 16
    field_high capFBasePtr 48

    field capType 5
    field capFSize 2
    field_high capFMappedAddress 48
    field capFVMRights 2
    field capFIsDevice 1
    padding 6
}

-- A page table of any level below the VSpace root: the level is decided
-- when it is mapped (the first missing level on the walk to the vaddr).
block page_table_cap {
    field capPTMappedASID 16
    field_high capPTBasePtr 48

    field capType 5
    field capPTIsMapped 1
    padding 10
    field_high capPTMappedAddress 48
}

-- The VSpace root (level-0 table, TTBR0). "Mapped" means assigned an ASID.
block vspace_cap {
    field capVSMappedASID 16
    field_high capVSBasePtr 48

    field capType 5
    field capVSIsMapped 1
    padding 58
}

block asid_control_cap {
    padding 64

    field capType 5
    padding 59
}

block asid_pool_cap {
    padding 16
    field_high capASIDPool 48

    field capType 5
    padding 43
    field capASIDBase 16
}

-- Lets its holder raise software-generated interrupt capSGIIRQ on the
-- CPUs in capSGITarget.
block sgi_signal_cap {
    padding 64

    field capType 5
    padding 43
    field capSGIIRQ 4
    field capSGITarget 12
}

tagged_union cap capType {
    tag null_cap 0
    tag frame_cap 1
    tag untyped_cap 2
    tag page_table_cap 3
    tag endpoint_cap 4
    tag notification_cap 6
    tag reply_cap 8
    tag vspace_cap 9
    tag cnode_cap 10
    tag asid_control_cap 11
    tag thread_cap 12
    tag asid_pool_cap 13
    tag irq_control_cap 14
    tag irq_handler_cap 16
    tag zombie_cap 18
    tag domain_cap 20
    tag sgi_signal_cap 27
}

-- Translation-table entries (Arm ARM D8.3, 4 KiB granule, 48-bit output
-- addresses). Physical addresses are kept in place, never sign-extended.
base 64(48,0)

-- Level 0-2 entry pointing at the next-level table (type 0b11).
block pte_table {
    field nstable 1
    field aptable 2
    field uxntable 1
    field pxntable 1
    padding 11
    field_high next_table 36
    padding 10
    field type 2
}

-- Leaf: a 4 KiB page at level 3 (type 0b11) or a 2 MiB / 1 GiB block at
-- level 2 / 1 (type 0b01). ap: 0b00 EL1 RW, 0b01 EL1+EL0 RW, 0b10 EL1 RO,
-- 0b11 EL1+EL0 RO. attr_index selects a MAIR_EL1 byte.
block pte_leaf {
    padding 9
    field uxn 1
    field pxn 1
    field contiguous 1
    padding 4
    field_high address 36
    field ng 1
    field af 1
    field sh 2
    field ap 2
    field ns 1
    field attr_index 3
    field type 2
}
