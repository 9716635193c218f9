/* Target configuration of the ABI sheet, section 0: AArch64 qemu-arm-virt. */
#pragma once
#define CONFIG_ARCH_AARCH64 1
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_PRINTING 1
#define CONFIG_ARM_TLS_REG_TPIDRU 1
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_ROOT_CNODE_SIZE_BITS 13
