# Clang with lld, for either architecture (the default toolchain).
# The architecture comes from -DKernelArch (set by the presets).
set(CMAKE_SYSTEM_NAME Generic)
if(NOT KernelArch)
    set(KernelArch x86_64)
endif()
set(CMAKE_SYSTEM_PROCESSOR ${KernelArch})
set(CMAKE_C_COMPILER clang)
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET ${KernelArch}-unknown-none-elf)
set(CMAKE_ASM_COMPILER_TARGET ${KernelArch}-unknown-none-elf)
set(TOOLCHAIN_LINKER_FLAGS -fuse-ld=lld)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
find_program(TOOLCHAIN_OBJCOPY NAMES objcopy llvm-objcopy llvm-objcopy-14 REQUIRED)
