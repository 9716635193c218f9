-- bf-test-args: --environment libsel4
-- User-visible layouts shared by libsel4 and the kernel.
base 64

block seL4_MessageInfo {
    field label 52
    field capsUnwrapped 3
    field extraCaps 2
    field length 7
}

block seL4_CapRights {
    padding 60
    field capAllowGrantReply 1
    field capAllowGrant 1
    field capAllowRead 1
    field capAllowWrite 1
}

block seL4_CNode_CapData {
    field guard 58
    field guardSize 6
}

block seL4_Fault_NullFault {
    padding 128
    padding 60
    field seL4_FaultType 4
}

block seL4_Fault_CapFault {
    field IP 64
    field Addr 64
    padding 60
    field seL4_FaultType 4
}

block seL4_Fault_VMFault {
    field IP 64
    field Addr 64
    field FSR 32
    padding 28
    field seL4_FaultType 4
}

tagged_union seL4_Fault seL4_FaultType {
    tag seL4_Fault_NullFault 0
    tag seL4_Fault_CapFault 1
    tag seL4_Fault_VMFault 5
}
