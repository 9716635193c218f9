# Kernel configuration options. Each option is declared exactly once here,
# with its documentation, default and dependencies. Every option becomes a
# CMake cache variable and, through gen_config(), a CONFIG_* macro in the
# generated <autoconf.h> shared by the kernel, libsel4 and user code.
#
#   kernel_option(<CacheVar> <CONFIG_NAME> BOOL|NUMBER|STRING <default> "<doc>"
#                 [DEPENDS <cmake condition>])
# A BOOL defines CONFIG_NAME as 1 when on and leaves it undefined when off.
# A NUMBER defines it to its value. A STRING defines CONFIG_NAME_<VALUE>.
# An option whose DEPENDS condition is false is forced off / left out.

set(_kernel_config_lines "")
set(_kernel_options "")

function(kernel_option var config type default doc)
    cmake_parse_arguments(PARSE_ARGV 5 ARG "" "" "DEPENDS")
    if(type STREQUAL "BOOL")
        set(cache_type BOOL)
    else()
        set(cache_type STRING)
    endif()
    set(${var} "${default}" CACHE ${cache_type} "${doc}")
    set(value "${${var}}")
    set(enabled TRUE)
    if(ARG_DEPENDS)
        separate_arguments(condition UNIX_COMMAND "${ARG_DEPENDS}")
        if(NOT (${condition}))
            if(type STREQUAL "BOOL" AND value)
                message(STATUS "${var} is off: it needs ${ARG_DEPENDS}")
            endif()
            set(value "")
            set(enabled FALSE)
            if(type STREQUAL "BOOL")
                set(${var} OFF CACHE ${cache_type} "${doc}" FORCE)
            endif()
        endif()
    endif()
    if(NOT enabled AND NOT type STREQUAL "BOOL")
        # A NUMBER or STRING whose dependencies fail is left out entirely.
        set(line "/* ${config} is not used in this configuration */")
    elseif(type STREQUAL "BOOL")
        if(value)
            set(line "#define ${config} 1")
        else()
            set(line "/* ${config} is off */")
        endif()
    elseif(type STREQUAL "NUMBER")
        if(NOT value MATCHES "^[0-9]+$")
            message(FATAL_ERROR "${var} must be a whole number, got '${value}'")
        endif()
        set(line "#define ${config} ${value}")
    elseif(type STREQUAL "STRING")
        string(TOUPPER "${value}" upper)
        string(REPLACE "-" "_" upper "${upper}")
        set(line "#define ${config}_${upper} 1")
    else()
        message(FATAL_ERROR "kernel_option: unknown type ${type} for ${var}")
    endif()
    set(_kernel_config_lines "${_kernel_config_lines}/* ${var}: ${doc} */\n${line}\n"
        PARENT_SCOPE)
    list(APPEND _kernel_options ${var})
    set(_kernel_options "${_kernel_options}" PARENT_SCOPE)
endfunction()

# Restrict a STRING option to a set of values.
function(kernel_option_choices var)
    if(NOT "${${var}}" IN_LIST ARGN)
        message(FATAL_ERROR "${var} is '${${var}}'; it must be one of: ${ARGN}")
    endif()
    set_property(CACHE ${var} PROPERTY STRINGS ${ARGN})
endfunction()

# ---- Platform and architecture (set by configs/<platform>.cmake) ----
kernel_option(KernelArch CONFIG_ARCH STRING "x86_64"
    "Target architecture")
kernel_option_choices(KernelArch x86_64 aarch64)
kernel_option(KernelPlatform CONFIG_PLAT STRING "pc99"
    "Target platform")
kernel_option_choices(KernelPlatform pc99 qemu-arm-virt)

# ---- Build flavour ----
kernel_option(KernelDebugBuild CONFIG_DEBUG_BUILD BOOL ON
    "Debug build: assertions, debug syscalls (Halt, CapIdentify, NameThread, Snapshot) and one-line diagnostics for every failed invocation")
kernel_option(KernelPrinting CONFIG_PRINTING BOOL ON
    "Kernel console output and the DebugPutChar/DebugDumpScheduler syscalls (seL4 test builds keep this on in release)")

# ---- Objects and boot ----
kernel_option(KernelRootCNodeSizeBits CONFIG_ROOT_CNODE_SIZE_BITS NUMBER 13
    "log2 of the number of slots in the root server's CNode")
kernel_option(KernelMaxNumBootinfoUntypedCaps CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS NUMBER 230
    "Most untyped caps handed to the root server (the bootinfo frame has room for 230)")
kernel_option(KernelRetypeFanOutLimit CONFIG_RETYPE_FAN_OUT_LIMIT NUMBER 256
    "Most objects one Untyped_Retype may create")

# ---- Scheduling ----
kernel_option(KernelNumPriorities CONFIG_NUM_PRIORITIES NUMBER 256
    "Number of thread priorities")
kernel_option(KernelNumDomains CONFIG_NUM_DOMAINS NUMBER 1
    "Number of scheduling domains")
kernel_option(KernelTimerTickMS CONFIG_TIMER_TICK_MS NUMBER 2
    "Timer tick period in milliseconds")
kernel_option(KernelTimeSlice CONFIG_TIME_SLICE NUMBER 5
    "Round-robin time slice, in timer ticks")
kernel_option(KernelMaxNumNodes CONFIG_MAX_NUM_NODES NUMBER 1
    "Number of CPUs (only 1 is supported)")

# ---- x86_64 ----
kernel_option(KernelFSGSBaseMSR CONFIG_FSGSBASE_MSR BOOL ON
    "FS/GS base live in the TCB and are written through MSRs; user code may not use rdfsbase/wrfsbase"
    DEPENDS "KernelArch STREQUAL x86_64")
kernel_option(KernelSetTLSBaseSelf CONFIG_SET_TLS_BASE_SELF BOOL ON
    "Provide the SetTLSBase syscall (-30); required when user code cannot write its TLS register itself"
    DEPENDS "KernelFSGSBaseMSR")
kernel_option(KernelHugePage CONFIG_HUGE_PAGE BOOL ON
    "1 GiB frames (seL4_X64_HugePageObject)"
    DEPENDS "KernelArch STREQUAL x86_64")
kernel_option(KernelQemuDebugExit CONFIG_QEMU_DEBUG_EXIT BOOL ON
    "Stop QEMU through isa-debug-exit (port 0xf4) on halt and panic"
    DEPENDS "KernelPlatform STREQUAL pc99")

# ---- AArch64 ----
kernel_option(KernelArmCPU CONFIG_ARM_CPU STRING "cortex-a53"
    "CPU model of the AArch64 platform (QEMU -cpu); the kernel itself runs on any ARMv8.0-A core"
    DEPENDS "KernelArch STREQUAL aarch64")
kernel_option(KernelArmGICVersion CONFIG_ARM_GIC_VERSION NUMBER 2
    "Version of the Arm Generic Interrupt Controller: 2 (GICD + GICC MMIO) or 3 (GICD + GICR MMIO, CPU interface through system registers; QEMU -machine virt,gic-version=3)"
    DEPENDS "KernelArch STREQUAL aarch64")
kernel_option(KernelArmSemihosting CONFIG_ARM_SEMIHOSTING BOOL ON
    "Stop QEMU through semihosting SYS_EXIT (hlt #0xf000; QEMU needs -semihosting) on halt and panic"
    DEPENDS "KernelArch STREQUAL aarch64")
if(KernelArch STREQUAL "aarch64")
    kernel_option_choices(KernelArmCPU cortex-a53 cortex-a57)
    if(NOT KernelArmGICVersion MATCHES "^[23]$")
        message(FATAL_ERROR "KernelArmGICVersion must be 2 or 3 (got ${KernelArmGICVersion})")
    endif()
endif()

if(KernelMaxNumNodes GREATER 1)
    message(FATAL_ERROR "KernelMaxNumNodes: only uniprocessor builds are supported")
endif()
if(KernelRootCNodeSizeBits LESS 5 OR KernelRootCNodeSizeBits GREATER 20)
    message(FATAL_ERROR "KernelRootCNodeSizeBits must be in 5..20 (got ${KernelRootCNodeSizeBits})")
endif()
if(KernelMaxNumBootinfoUntypedCaps GREATER 230)
    message(FATAL_ERROR "KernelMaxNumBootinfoUntypedCaps: the bootinfo frame holds at most 230")
endif()

# Write <autoconf.h> into `dir`.
function(gen_config dir)
    set(text "/* Generated by cmake/options.cmake. Do not edit. */\n#pragma once\n\n")
    set(text "${text}#define CONFIG_WORD_SIZE 64\n")
    set(text "${text}${_kernel_config_lines}")
    file(CONFIGURE OUTPUT "${dir}/autoconf.h" CONTENT "${text}" @ONLY)
endfunction()
