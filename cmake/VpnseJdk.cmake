# The JDK that javac belongs to, for JNI glue (tests/ffi/java, bindings/kotlin): sets VPNSE_JDK_HOME when
# its include/jni.h exists (openjdk-17-jdk-headless); no AWT or JVM library is needed to build the glue.
find_program(VPNSE_JAVAC javac)
unset(VPNSE_JDK_HOME)
if(VPNSE_JAVAC)
    get_filename_component(javac_real ${VPNSE_JAVAC} REALPATH)
    get_filename_component(jdk_home ${javac_real} DIRECTORY)
    get_filename_component(jdk_home ${jdk_home} DIRECTORY)
    if(EXISTS ${jdk_home}/include/jni.h)
        set(VPNSE_JDK_HOME ${jdk_home})
    endif()
endif()
