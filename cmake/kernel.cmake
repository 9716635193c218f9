# The kernel: generated headers, sources by architecture and platform, the
# ELF image for GDB and the image QEMU boots.

set(KERNEL_GEN_DIR "${GEN_DIR}/kernel")
set(K_ARCH_DIR "${CMAKE_SOURCE_DIR}/src/arch/${KernelArch}")
set(K_PLAT_DIR "${CMAKE_SOURCE_DIR}/src/plat/${KernelPlatform}")

set(KERNEL_INCLUDE_DIRS
    "${CMAKE_SOURCE_DIR}/include"
    "${CMAKE_SOURCE_DIR}/include/arch/${KernelArch}"
    "${CMAKE_SOURCE_DIR}/include/plat/${KernelPlatform}"
    "${KERNEL_GEN_DIR}"
    "${GEN_CONFIG_DIR}"
    ${LIBSEL4_INCLUDE_DIRS})

# Packed words of the kernel (caps, MDB, thread state, PTEs, ...).
bf_generate("${KERNEL_GEN_DIR}/object/structures_gen.h"
    "${CMAKE_SOURCE_DIR}/include/arch/${KernelArch}/structures.bf"
    ENVIRONMENT kernel
    INCLUDES "${CMAKE_SOURCE_DIR}/include" "${CMAKE_SOURCE_DIR}/include/arch/${KernelArch}")

add_custom_target(kernel_headers DEPENDS "${KERNEL_GEN_DIR}/object/structures_gen.h")

file(GLOB KERNEL_SOURCES CONFIGURE_DEPENDS
    "${CMAKE_SOURCE_DIR}/src/api/*.c"
    "${CMAKE_SOURCE_DIR}/src/kernel/*.c"
    "${CMAKE_SOURCE_DIR}/src/machine/*.c"
    "${CMAKE_SOURCE_DIR}/src/object/*.c")
file(GLOB K_ARCH_SOURCES CONFIGURE_DEPENDS "${K_ARCH_DIR}/*.c" "${K_ARCH_DIR}/*.S")
file(GLOB K_PLAT_SOURCES CONFIGURE_DEPENDS "${K_PLAT_DIR}/*.c" "${K_PLAT_DIR}/*.S")

add_executable(kernel.elf ${KERNEL_SOURCES} ${K_ARCH_SOURCES} ${K_PLAT_SOURCES})
add_dependencies(kernel.elf kernel_headers interface_headers libsel4_headers)
target_include_directories(kernel.elf PRIVATE ${KERNEL_INCLUDE_DIRS})
target_compile_options(kernel.elf PRIVATE ${TARGET_COMMON_FLAGS} ${ARCH_KERNEL_FLAGS}
    -fno-builtin -fno-omit-frame-pointer)
target_compile_definitions(kernel.elf PRIVATE __KERNEL__)
set(KERNEL_LINKER_SCRIPT "${K_ARCH_DIR}/linker.lds")
target_link_options(kernel.elf PRIVATE ${TOOLCHAIN_LINKER_FLAGS} -nostdlib -static
    -Wl,-T,${KERNEL_LINKER_SCRIPT} -Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack)
set_target_properties(kernel.elf PROPERTIES LINK_DEPENDS "${KERNEL_LINKER_SCRIPT}")

# The image QEMU boots. x86: QEMU's Multiboot loader only takes ELF32, so
# the 64-bit image is converted (physical load addresses are kept).
if(KernelArch STREQUAL "x86_64")
    set(KERNEL_IMAGE "${CMAKE_BINARY_DIR}/images/kernel-x86_64-${KernelPlatform}.elf32")
    add_custom_command(OUTPUT "${KERNEL_IMAGE}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/images"
        COMMAND ${TOOLCHAIN_OBJCOPY} -O elf32-i386 $<TARGET_FILE:kernel.elf> "${KERNEL_IMAGE}"
        DEPENDS kernel.elf
        COMMENT "Converting kernel.elf to a Multiboot ELF32 image"
        VERBATIM)
    add_custom_target(kernel_image ALL DEPENDS "${KERNEL_IMAGE}")
endif()

# AArch64: QEMU boots one image made of our loader, the kernel and a root
# server. The loader is its own freestanding ELF; tools/imagegen (a host
# program using libelf) packs the three. tools/run_qemu.py packs the root
# server it is given at run time; the build also packs the example and the
# test root task into images/.
if(KernelArch STREQUAL "aarch64")
    set(KERNEL_IMAGE "${CMAKE_BINARY_DIR}/images/kernel-aarch64-${KernelPlatform}.elf")
    add_custom_command(OUTPUT "${KERNEL_IMAGE}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/images"
        COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:kernel.elf> "${KERNEL_IMAGE}"
        DEPENDS kernel.elf
        VERBATIM)
    add_custom_target(kernel_image ALL DEPENDS "${KERNEL_IMAGE}")

    set(LOADER_DIR "${CMAKE_SOURCE_DIR}/src/loader/aarch64")
    add_executable(loader.elf "${LOADER_DIR}/head.S" "${LOADER_DIR}/loader.c")
    target_compile_options(loader.elf PRIVATE ${TARGET_COMMON_FLAGS} ${ARCH_KERNEL_FLAGS}
        -fno-builtin)
    target_link_options(loader.elf PRIVATE ${TOOLCHAIN_LINKER_FLAGS} -nostdlib -static
        -Wl,-T,${LOADER_DIR}/linker.lds -Wl,-z,max-page-size=4096 -Wl,--build-id=none
        -Wl,-z,noexecstack)
    set_target_properties(loader.elf PROPERTIES LINK_DEPENDS "${LOADER_DIR}/linker.lds")
    set(LOADER_ELF "${CMAKE_BINARY_DIR}/images/loader-aarch64.elf")
    add_custom_command(OUTPUT "${LOADER_ELF}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/images"
        COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:loader.elf> "${LOADER_ELF}"
        DEPENDS loader.elf
        VERBATIM)
    add_custom_target(loader_image ALL DEPENDS "${LOADER_ELF}")

    # The image tool runs on the build machine: built with the host's cc.
    find_program(HOST_CC NAMES cc gcc clang REQUIRED)
    set(IMAGEGEN "${CMAKE_BINARY_DIR}/tools/imagegen")
    add_custom_command(OUTPUT "${IMAGEGEN}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/tools"
        COMMAND ${HOST_CC} -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror
                -I${LOADER_DIR} "${CMAKE_SOURCE_DIR}/tools/imagegen/imagegen.c" -lelf
                -o "${IMAGEGEN}"
        DEPENDS "${CMAKE_SOURCE_DIR}/tools/imagegen/imagegen.c" "${LOADER_DIR}/image.h"
        COMMENT "Building the host image tool (tools/imagegen, libelf)"
        VERBATIM)
    add_custom_target(imagegen ALL DEPENDS "${IMAGEGEN}")
endif()
