--
-- x86_64 packed words: the arch caps, the `cap` union over every cap
-- block (generic and arch), and the hardware paging entries.
-- Tag values are the ones seL4_DebugCapIdentify reports (ABI 13.6).
--

#include <object/structures.bf>

base 64(48,1)

-- capFSize: X86_SmallPage, X86_LargePage, X64_HugePage.
-- capFMapType: X86_MappingNone or X86_MappingVSpace.
block frame_cap {
    field capFMappedASID 12
    field_high capFBasePtr 48
    padding 4

    field capType 5
    field capFSize 2
    field capFMapType 2
    field_high capFMappedAddress 48
    field capFVMRights 2
    field capFIsDevice 1
    padding 4
}

block page_table_cap {
    field capPTMappedASID 12
    field_high capPTBasePtr 48
    padding 4

    field capType 5
    field capPTIsMapped 1
    padding 10
    field_high capPTMappedAddress 48
}

block page_directory_cap {
    field capPDMappedASID 12
    field_high capPDBasePtr 48
    padding 4

    field capType 5
    field capPDIsMapped 1
    padding 10
    field_high capPDMappedAddress 48
}

block pdpt_cap {
    field capPDPTMappedASID 12
    field_high capPDPTBasePtr 48
    padding 4

    field capType 5
    field capPDPTIsMapped 1
    padding 10
    field_high capPDPTMappedAddress 48
}

block pml4_cap {
    padding 52
    field capPML4MappedASID 12

    field capType 5
    field capPML4IsMapped 1
    padding 10
    field_high capPML4BasePtr 48
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
    field capASIDBase 12
    padding 47
}

block io_port_control_cap {
    padding 64

    field capType 5
    padding 59
}

block io_port_cap {
    padding 32
    field capIOPortFirstPort 16
    field capIOPortLastPort 16

    field capType 5
    padding 59
}

tagged_union cap capType {
    tag null_cap 0
    tag frame_cap 1
    tag untyped_cap 2
    tag page_table_cap 3
    tag endpoint_cap 4
    tag page_directory_cap 5
    tag notification_cap 6
    tag pdpt_cap 7
    tag reply_cap 8
    tag pml4_cap 9
    tag cnode_cap 10
    tag asid_control_cap 11
    tag thread_cap 12
    tag asid_pool_cap 13
    tag irq_control_cap 14
    tag irq_handler_cap 16
    tag zombie_cap 18
    tag io_port_cap 19
    tag domain_cap 20
    tag io_port_control_cap 31
}

-- Hardware paging entries (Intel SDM Vol. 3A, 4.5). Physical addresses
-- are up to 52 bits and never sign-extended.
base 64(52,0)

-- Entry of a PML4, or a non-leaf PDPT/PD entry: points to the next table.
block pml4e {
    field xd 1
    padding 11
    field_high pdpt_base_address 40
    padding 4
    field page_size 1
    padding 1
    field accessed 1
    field cache_disabled 1
    field write_through 1
    field super_user 1
    field read_write 1
    field present 1
}

-- PDPT entry mapping a 1 GiB page.
block pdpte_1g {
    field xd 1
    padding 11
    field_high page_base_address 22
    padding 17
    field pat 1
    padding 3
    field global 1
    field page_size 1
    field dirty 1
    field accessed 1
    field cache_disabled 1
    field write_through 1
    field super_user 1
    field read_write 1
    field present 1
}

-- PD entry mapping a 2 MiB page.
block pde_2m {
    field xd 1
    padding 11
    field_high page_base_address 31
    padding 8
    field pat 1
    padding 3
    field global 1
    field page_size 1
    field dirty 1
    field accessed 1
    field cache_disabled 1
    field write_through 1
    field super_user 1
    field read_write 1
    field present 1
}

-- PT entry mapping a 4 KiB page.
block pte {
    field xd 1
    padding 11
    field_high page_base_address 40
    padding 3
    field global 1
    field pat 1
    field dirty 1
    field accessed 1
    field cache_disabled 1
    field write_through 1
    field super_user 1
    field read_write 1
    field present 1
}

-- Descriptor-table entries (Intel SDM Vol. 3A, 3.4.5, 7.2.3, 6.14.1).
base 64

-- Code or data segment descriptor.
block gdt_segment {
    field base_high 8
    field granularity 1
    field db 1
    field long_mode 1
    field avl 1
    field limit_high 4
    field present 1
    field dpl 2
    field s 1
    field type 4
    field base_mid 8
    field base_low 16
    field limit_low 16
}

-- 64-bit TSS descriptor (two GDT slots).
block gdt_tss {
    padding 32
    field base_upper 32

    field base_high 8
    field granularity 1
    padding 2
    field avl 1
    field limit_high 4
    field present 1
    field dpl 2
    padding 1
    field type 4
    field base_mid 8
    field base_low 16
    field limit_low 16
}

-- 64-bit interrupt gate.
block idt_gate {
    padding 32
    field offset_high 32

    field offset_mid 16
    field present 1
    field dpl 2
    padding 1
    field type 4
    padding 5
    field ist 3
    field selector 16
    field offset_low 16
}

-- The VM attribute word of Page_Map and the table Map calls (seL4-abi.md
-- 8.7): WriteThrough = PWT, CacheDisabled = PCD, WriteCombining = PAT.
block vm_attributes {
    padding 61
    field x86PATBit 1
    field x86PCDBit 1
    field x86PWTBit 1
}

-- IOAPIC redirection table entry (82093AA datasheet, 3.2.4).
block ioapic_redirection {
    field destination 8
    padding 39
    field masked 1
    field triggerMode 1
    field remoteIRR 1
    field polarity 1
    field deliveryStatus 1
    field destinationMode 1
    field deliveryMode 3
    field vector 8
}
