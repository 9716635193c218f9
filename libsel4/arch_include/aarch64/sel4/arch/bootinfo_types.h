/*
 * AArch64 extra bootinfo: the only chunk is SEL4_BOOTINFO_HEADER_FDT, a
 * seL4_BootInfoHeader followed by the raw device tree blob (seL4-abi.md
 * section 5.3). Nothing arch-specific needs declaring.
 */
#pragma once
