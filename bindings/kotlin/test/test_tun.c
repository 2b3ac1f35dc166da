/* The Kotlin test's stand-in for VpnService.Builder.establish(): a Linux TUN opened the way Android
 * hands one over (IFF_TUN | IFF_NO_PI), returned as a bare fd. */
#include <fcntl.h>
#include <jni.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_org_vpnse_test_TestTun_open(JNIEnv* env, jclass cls, jstring name) {
    struct ifreq request;
    const char* text = (*env)->GetStringUTFChars(env, name, NULL);
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    (void)cls;
    memset(&request, 0, sizeof request);
    request.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(request.ifr_name, text, IFNAMSIZ - 1);
    (*env)->ReleaseStringUTFChars(env, name, text);
    if (fd >= 0 && ioctl(fd, TUNSETIFF, &request) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

JNIEXPORT void JNICALL Java_org_vpnse_test_TestTun_close(JNIEnv* env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    close(fd);
}
