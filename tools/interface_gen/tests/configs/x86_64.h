/* Target configuration of the ABI sheet, section 0: x86_64 pc99 under QEMU. */
#pragma once
#define CONFIG_ARCH_X86_64 1
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_PRINTING 1
#define CONFIG_HUGE_PAGE 1
#define CONFIG_SYSCALL 1
#define CONFIG_FSGSBASE_MSR 1
#define CONFIG_SET_TLS_BASE_SELF 1
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_ROOT_CNODE_SIZE_BITS 13
/* disabled: CONFIG_IOMMU */
/* disabled: CONFIG_KERNEL_MCS */
