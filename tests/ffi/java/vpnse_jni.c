/* JNI glue for the Java test: the thin layer an Android app's VpnService would use. Each native method
 * maps to one vpnse.h call; handles travel as Java longs. */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>

#include "vpnse.h"

JNIEXPORT jlong JNICALL Java_VpnseTest_configParse(JNIEnv* env, jclass cls, jstring toml) {
    const char* text = (*env)->GetStringUTFChars(env, toml, NULL);
    vpnse_config* config = NULL;
    char error[512];
    int rc = vpnse_config_parse(text, "java", &config, error, sizeof error);
    (void)cls;
    (*env)->ReleaseStringUTFChars(env, toml, text);
    return rc == VPNSE_OK ? (jlong)(intptr_t)config : 0;
}

JNIEXPORT jlong JNICALL Java_VpnseTest_clientCreate(JNIEnv* env, jclass cls, jlong config) {
    vpnse_client* client = NULL;
    (void)env;
    (void)cls;
    if (vpnse_client_create((const vpnse_config*)(intptr_t)config, NULL, &client) != VPNSE_OK)
        return 0;
    vpnse_config_free((vpnse_config*)(intptr_t)config);
    return (jlong)(intptr_t)client;
}

JNIEXPORT jint JNICALL Java_VpnseTest_connect(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    return vpnse_client_connect((vpnse_client*)(intptr_t)client);
}

JNIEXPORT jint JNICALL Java_VpnseTest_disconnect(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    return vpnse_client_disconnect((vpnse_client*)(intptr_t)client);
}

JNIEXPORT jint JNICALL Java_VpnseTest_waitState(JNIEnv* env, jclass cls, jlong client, jint state, jint ms) {
    (void)env;
    (void)cls;
    return vpnse_client_wait_state((vpnse_client*)(intptr_t)client, state, ms);
}

JNIEXPORT jstring JNICALL Java_VpnseTest_address(JNIEnv* env, jclass cls, jlong client) {
    vpnse_network network;
    (void)cls;
    if (vpnse_client_network((vpnse_client*)(intptr_t)client, &network) != VPNSE_OK)
        return NULL;
    return (*env)->NewStringUTF(env, network.address);
}

JNIEXPORT jint JNICALL Java_VpnseTest_sendPacket(JNIEnv* env, jclass cls, jlong client, jbyteArray packet) {
    jsize size = (*env)->GetArrayLength(env, packet);
    jbyte* bytes = (*env)->GetByteArrayElements(env, packet, NULL);
    int rc = vpnse_client_send_packet((vpnse_client*)(intptr_t)client, (const uint8_t*)bytes, (size_t)size);
    (void)cls;
    (*env)->ReleaseByteArrayElements(env, packet, bytes, JNI_ABORT);
    return rc;
}

JNIEXPORT jbyteArray JNICALL Java_VpnseTest_recvPacket(JNIEnv* env, jclass cls, jlong client, jint ms) {
    uint8_t buffer[2048];
    size_t size = 0;
    jbyteArray out;
    (void)cls;
    if (vpnse_client_recv_packet((vpnse_client*)(intptr_t)client, buffer, sizeof buffer, ms, &size) !=
        VPNSE_OK)
        return NULL;
    out = (*env)->NewByteArray(env, (jsize)size);
    (*env)->SetByteArrayRegion(env, out, 0, (jsize)size, (const jbyte*)buffer);
    return out;
}

JNIEXPORT void JNICALL Java_VpnseTest_free(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    vpnse_client_free((vpnse_client*)(intptr_t)client);
}
