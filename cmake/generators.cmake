# Build-time code generation: .bf files through the C preprocessor and
# tools/bitfield_gen, and the interface XML through tools/interface_gen.
# Generated files live only in the build tree.

find_package(Python3 3.7 REQUIRED COMPONENTS Interpreter)

set(BITFIELD_GEN "${CMAKE_SOURCE_DIR}/tools/bitfield_gen/bitfield_gen.py")
set(INTERFACE_GEN "${CMAKE_SOURCE_DIR}/tools/interface_gen/interface_gen.py")

# bf_generate(<output.h> <input.bf> ENVIRONMENT kernel|libsel4 INCLUDES <dirs>...)
# Runs the C preprocessor (keeping line markers, so errors name the .bf
# file and line) with <autoconf.h> included, then the generator.
function(bf_generate output input)
    cmake_parse_arguments(ARG "" "ENVIRONMENT" "INCLUDES" ${ARGN})
    get_filename_component(name "${output}" NAME_WE)
    set(pbf "${output}.pbf")
    set(incs "")
    foreach(d ${ARG_INCLUDES})
        list(APPEND incs "-I${d}")
    endforeach()
    file(GLOB_RECURSE bf_deps "${CMAKE_SOURCE_DIR}/include/*.bf" "${CMAKE_SOURCE_DIR}/libsel4/*.bf")
    add_custom_command(
        OUTPUT "${output}"
        COMMAND ${CMAKE_C_COMPILER} -E -x assembler-with-cpp -undef -nostdinc ${incs}
                -include "${GEN_CONFIG_DIR}/autoconf.h" "${input}" -o "${pbf}"
        COMMAND ${Python3_EXECUTABLE} "${BITFIELD_GEN}" --environment ${ARG_ENVIRONMENT}
                "${pbf}" "${output}"
        DEPENDS "${input}" ${bf_deps} "${BITFIELD_GEN}" "${GEN_CONFIG_DIR}/autoconf.h"
        COMMENT "Generating ${name}.h from ${input}"
        VERBATIM)
endfunction()
