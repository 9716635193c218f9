/*
 * Kernel configuration for the host core tests: the CONFIG_ lines of a
 * debug x86_64 pc99 build (cmake/options.cmake defaults), so that the
 * kernel sources compiled on the host see the same configuration as the
 * preset x86_64-qemu-debug. run_core_tests.py copies this file to
 * <build>/gen/config/autoconf.h; the generators read it from there.
 */
#pragma once

#define CONFIG_WORD_SIZE 64
#define CONFIG_ARCH_X86_64 1
#define CONFIG_PLAT_PC99 1
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_PRINTING 1
#define CONFIG_ROOT_CNODE_SIZE_BITS 13
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
#define CONFIG_NUM_PRIORITIES 256
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_TIMER_TICK_MS 2
#define CONFIG_TIME_SLICE 5
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_FSGSBASE_MSR 1
#define CONFIG_SET_TLS_BASE_SELF 1
#define CONFIG_HUGE_PAGE 1
#define CONFIG_QEMU_DEBUG_EXIT 1
