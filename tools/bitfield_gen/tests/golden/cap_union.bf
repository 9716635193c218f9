-- A small capability union in the x86-64 style: base 64(48,1), so
-- field_high pointers are sign-extended from bit 47 when read.
base 64(48,1)

block null_cap {
    padding 64
    field capType 5
    padding 59
}

block endpoint_cap (capEPBadge, capType, capCanGrant, capCanSend, capEPPtr) {
    field capEPBadge 64
    field capType 5
    field capCanGrant 1
    field capCanSend 1
    padding 9
    field_high capEPPtr 48
}

block frame_cap {
    field capFMappedASID 16
    field_ptr(12) capFBasePtr 48
    field capType 5
    field capFSize 2
    padding 9
    field_ptr capFMappedAddress 48
}

tagged_union cap capType {
    tag null_cap 0
    tag frame_cap 1
    tag endpoint_cap 4
}

-- Page-table entries use a different canonical size and no sign extension.
base 64(51,0)

block pte {
    field xd 1
    padding 11
    field_high page_base_address 39
    padding 11
    field present 1
    field read_write 1
}
