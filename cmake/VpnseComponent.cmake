# vpnse_component(NAME <name> [DEPS <targets>...] [PUBLIC_DEPS <targets>...] [EXCLUDE <files>...]
#                 [SOURCES <files>...])
# One static library per source folder. Sources are the folder's *.cpp files (less EXCLUDE, plus SOURCES:
# how one platform's implementation file is chosen without an #ifdef); the folder's parent
# (libvpnse/ or daemon/) is the include root, so code includes "proto/pack.hpp", never "../".
# Only the listed dependencies are linked, so an include across a layer boundary fails to link or compile.
function(vpnse_component)
    cmake_parse_arguments(ARG "" "NAME;DIR;INCLUDE_ROOT" "DEPS;PUBLIC_DEPS;EXCLUDE;SOURCES" ${ARGN})
    if(NOT ARG_DIR)
        set(ARG_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    endif()
    if(NOT ARG_INCLUDE_ROOT)
        get_filename_component(ARG_INCLUDE_ROOT ${ARG_DIR} DIRECTORY)
    endif()
    file(GLOB sources CONFIGURE_DEPENDS ${ARG_DIR}/*.cpp)
    foreach(excluded ${ARG_EXCLUDE})
        list(REMOVE_ITEM sources ${ARG_DIR}/${excluded})
    endforeach()
    list(APPEND sources ${ARG_SOURCES})
    if(sources)
        add_library(${ARG_NAME} STATIC ${sources})
        target_include_directories(${ARG_NAME} PUBLIC ${ARG_INCLUDE_ROOT})
        target_link_libraries(${ARG_NAME} PRIVATE vpnse_warnings ${ARG_DEPS} PUBLIC ${ARG_PUBLIC_DEPS})
    else()
        add_library(${ARG_NAME} INTERFACE)
        target_include_directories(${ARG_NAME} INTERFACE ${ARG_INCLUDE_ROOT})
        target_link_libraries(${ARG_NAME} INTERFACE ${ARG_DEPS} ${ARG_PUBLIC_DEPS})
    endif()
endfunction()
