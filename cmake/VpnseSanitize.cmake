# VPNSE_SANITIZE (CMakeLists.txt): every target of the build instrumented, ours and the tests'. VPNSE_SANITIZER
# says which ("address", "thread" or empty).
string(TOLOWER "${VPNSE_SANITIZE}" vpnse_sanitize_value)
if(vpnse_sanitize_value MATCHES "^(on|address|true|1)$")
    set(VPNSE_SANITIZER address)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
elseif(vpnse_sanitize_value STREQUAL "thread")
    set(VPNSE_SANITIZER thread)
    # -Wno-tsan: asio's handler invocation brackets itself with std::atomic_thread_fence, which TSan does not
    # model (gcc warns); asio's queues are guarded by mutexes, which TSan does see.
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
    add_link_options(-fsanitize=thread)
elseif(vpnse_sanitize_value MATCHES "^(off|false|0|)$")
    set(VPNSE_SANITIZER "")
else()
    message(FATAL_ERROR "VPNSE_SANITIZE=${VPNSE_SANITIZE}: expected OFF, address (or ON) or thread")
endif()

# vpnse_test_launcher(<var> <test name>): the command prefix of a multi-process test (e2e) in a sanitizer
# build, empty otherwise. Every process the test starts writes its sanitizer reports into a folder of the
# test's own, and a report fails the test, also from a daemon that was killed or whose log nobody read
# (tests/support/sanitizer-reports.sh).
if(VPNSE_SANITIZER)
    # The runtime library, for the interpreters that load libvpnse.so (LD_PRELOAD in the bindings' tests).
    if(VPNSE_SANITIZER STREQUAL address)
        set(vpnse_sanitizer_lib libasan.so)
    else()
        set(vpnse_sanitizer_lib libtsan.so)
    endif()
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${vpnse_sanitizer_lib}
        OUTPUT_VARIABLE VPNSE_SANITIZER_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
endif()
function(vpnse_test_launcher var name)
    if(VPNSE_SANITIZER)
        set(${var} ${PROJECT_SOURCE_DIR}/tests/support/sanitizer-reports.sh ${VPNSE_SANITIZER_RUNTIME}
            ${PROJECT_BINARY_DIR}/sanitizer-reports/${name} PARENT_SCOPE)
    else()
        set(${var} "" PARENT_SCOPE)
    endif()
endfunction()
