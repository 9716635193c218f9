# runner.json (read by tools/run_qemu.py) and the SDK folder
# build/<preset>/sdk/: everything a user's own root task needs, outside
# our tree: include/ (libsel4 with its generated headers and autoconf.h),
# lib/libsel4.a, the kernel images, the runner and a CMake package.

if(KernelArch STREQUAL "x86_64")
    # isa-debug-exit: status (value << 1) | 1 (include/plat/pc99/plat/pc99.h)
    set(EXIT_HALT 33)
    set(EXIT_PANIC 3)
    set(ROOTSERVER_VIA "initrd")
    set(RUNNER_EXTRA "")
    set(SDK_RUNNER_EXTRA "")
elseif(KernelArch STREQUAL "aarch64")
    # semihosting SYS_EXIT status (include/plat/qemu-arm-virt/plat/platform.h)
    set(EXIT_HALT 33)
    set(EXIT_PANIC 3)
    set(ROOTSERVER_VIA "image")
    set(RUNNER_EXTRA "  \"loader\": \"${LOADER_ELF}\",\n  \"imagegen\": \"${IMAGEGEN}\",\n")
    set(SDK_RUNNER_EXTRA
        "  \"loader\": \"${CMAKE_BINARY_DIR}/sdk/images/loader-aarch64.elf\",\n  \"imagegen\": \"${CMAKE_BINARY_DIR}/sdk/bin/imagegen\",\n")
endif()

function(write_runner_json path kernel_image kernel_elf extra)
    set(args "")
    foreach(a ${QEMU_MACHINE_ARGS})
        string(APPEND args "\"${a}\", ")
    endforeach()
    string(REGEX REPLACE ", $" "" args "${args}")
    file(WRITE "${path}" "{\n"
        "  \"arch\": \"${KernelArch}\",\n"
        "  \"platform\": \"${KernelPlatform}\",\n"
        "  \"qemu\": \"${QEMU_SYSTEM}\",\n"
        "  \"machine_args\": [${args}],\n"
        "  \"kernel_image\": \"${kernel_image}\",\n"
        "  \"kernel_elf\": \"${kernel_elf}\",\n"
        "  \"rootserver_via\": \"${ROOTSERVER_VIA}\",\n"
        "${extra}"
        "  \"exit_codes\": {\"halt\": ${EXIT_HALT}, \"panic\": ${EXIT_PANIC}}\n"
        "}\n")
endfunction()

write_runner_json("${CMAKE_BINARY_DIR}/runner.json" "${KERNEL_IMAGE}"
    "${CMAKE_BINARY_DIR}/kernel.elf" "${RUNNER_EXTRA}")

set(SDK_DIR "${CMAKE_BINARY_DIR}/sdk")
get_filename_component(_image_name "${KERNEL_IMAGE}" NAME)
write_runner_json("${CMAKE_BINARY_DIR}/sdk-runner.json" "${SDK_DIR}/images/${_image_name}"
    "${SDK_DIR}/images/kernel.elf" "${SDK_RUNNER_EXTRA}")
file(WRITE "${CMAKE_BINARY_DIR}/sdk-config.cmake"
"# CMake package for root tasks built against this kernel (find_package(sel4)).
get_filename_component(SEL4_SDK_DIR \"\${CMAKE_CURRENT_LIST_DIR}/../../..\" ABSOLUTE)
set(SEL4_ARCH ${KernelArch})
set(SEL4_PLATFORM ${KernelPlatform})
if(NOT TARGET sel4::sel4)
    add_library(sel4::sel4 STATIC IMPORTED)
    set_target_properties(sel4::sel4 PROPERTIES
        IMPORTED_LOCATION \"\${SEL4_SDK_DIR}/lib/libsel4.a\"
        INTERFACE_INCLUDE_DIRECTORIES \"\${SEL4_SDK_DIR}/include\")
endif()
if(NOT TARGET sel4::runtime)
    add_library(sel4::runtime STATIC IMPORTED)
    set_target_properties(sel4::runtime PROPERTIES
        IMPORTED_LOCATION \"\${SEL4_SDK_DIR}/lib/libroottask_runtime.a\"
        INTERFACE_INCLUDE_DIRECTORIES \"\${SEL4_SDK_DIR}/include;\${SEL4_SDK_DIR}/include/libc\")
endif()
set(SEL4_RUNNER \"\${SEL4_SDK_DIR}/bin/run_qemu.py\")
# Link a static root task with our runtime's linker script (crt0 included).
set(SEL4_LINK_OPTIONS ${TOOLCHAIN_LINKER_FLAGS} -nostdlib -static
    \"-Wl,-T,\${SEL4_SDK_DIR}/lib/roottask.ld\" -Wl,-z,max-page-size=4096)
# The compiler's own freestanding headers (stddef.h, stdint.h, ...).
execute_process(COMMAND \${CMAKE_C_COMPILER} -print-resource-dir
    OUTPUT_VARIABLE _sel4_res OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_sel4_res)
    set(SEL4_COMPILER_INCLUDE_DIR \"\${_sel4_res}/include\")
else()
    execute_process(COMMAND \${CMAKE_C_COMPILER} -print-file-name=include
        OUTPUT_VARIABLE SEL4_COMPILER_INCLUDE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
")

add_custom_target(sdk ALL
    COMMAND ${CMAKE_COMMAND} -E make_directory "${SDK_DIR}/include" "${SDK_DIR}/lib"
            "${SDK_DIR}/images" "${SDK_DIR}/bin" "${SDK_DIR}/lib/cmake/sel4"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${CMAKE_SOURCE_DIR}/libsel4/include" "${SDK_DIR}/include"
    COMMAND ${CMAKE_COMMAND} -E copy_directory
            "${CMAKE_SOURCE_DIR}/libsel4/arch_include/${KernelArch}" "${SDK_DIR}/include"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${GEN_DIR}/libsel4/include" "${SDK_DIR}/include"
    COMMAND ${CMAKE_COMMAND} -E copy "${GEN_CONFIG_DIR}/autoconf.h" "${SDK_DIR}/include/"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${CMAKE_SOURCE_DIR}/test/roottask/runtime/libc/include"
            "${SDK_DIR}/include/libc"
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:sel4> "${SDK_DIR}/lib/"
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:roottask_runtime> "${SDK_DIR}/lib/"
    COMMAND ${CMAKE_COMMAND} -E copy "${ROOTTASK_LINKER_SCRIPT}" "${SDK_DIR}/lib/"
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:kernel.elf> "${KERNEL_IMAGE}" "${SDK_DIR}/images/"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_SOURCE_DIR}/tools/run_qemu.py" "${SDK_DIR}/bin/"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_BINARY_DIR}/sdk-runner.json" "${SDK_DIR}/runner.json"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_BINARY_DIR}/sdk-config.cmake"
            "${SDK_DIR}/lib/cmake/sel4/sel4-config.cmake"
    DEPENDS sel4 roottask_runtime kernel.elf kernel_image
    COMMENT "Assembling the SDK in ${SDK_DIR}"
    VERBATIM)
if(KernelArch STREQUAL "aarch64")
    # The loader and the image tool, so the SDK runner can pack images.
    add_custom_command(TARGET sdk POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy "${LOADER_ELF}" "${SDK_DIR}/images/"
        COMMAND ${CMAKE_COMMAND} -E copy "${IMAGEGEN}" "${SDK_DIR}/bin/"
        VERBATIM)
    add_dependencies(sdk loader_image imagegen)
endif()

# The manual with its generated API reference: build/<preset>/manual/.
file(GLOB MANUAL_CHAPTERS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/manual/*.md")
add_custom_target(manual ALL
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/manual/api"
    COMMAND ${CMAKE_COMMAND} -E copy ${MANUAL_CHAPTERS} "${CMAKE_BINARY_DIR}/manual/"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${GEN_DIR}/manual/api" "${CMAKE_BINARY_DIR}/manual/api"
    DEPENDS interface_headers ${MANUAL_CHAPTERS}
    COMMENT "Assembling the manual and its API reference in ${CMAKE_BINARY_DIR}/manual"
    VERBATIM)
