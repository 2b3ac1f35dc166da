/* JNI glue of the Kotlin binding (org.vpnse.VpnseClient): one native method per vpnse.h call, handles as
 * Java longs. Callbacks come from the client's thread, which is attached to the JVM on its first callback
 * (as a daemon, detached again when the thread ends) and calls the Kotlin Dispatcher with plain values;
 * the Kotlin side builds its types from them. */
#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "vpnse.h"

typedef struct context {
    JavaVM* vm;
    jobject dispatcher; /* global reference */
    jmethodID on_state, on_network, on_stats, on_log, protect;
} context;

static pthread_key_t g_attached;
static pthread_once_t g_attached_once = PTHREAD_ONCE_INIT;

static void detach_thread(void* vm) {
    (*(JavaVM*)vm)->DetachCurrentThread((JavaVM*)vm);
}
static void make_key(void) {
    pthread_key_create(&g_attached, detach_thread);
}

/* The JNIEnv of the calling thread, attaching a library thread on first use. */
static JNIEnv* thread_env(JavaVM* vm) {
    JNIEnv* env = NULL;
    if ((*vm)->GetEnv(vm, (void**)&env, JNI_VERSION_1_8) == JNI_OK)
        return env;
    if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void**)&env, NULL) != JNI_OK)
        return NULL;
    pthread_once(&g_attached_once, make_key);
    pthread_setspecific(g_attached, vm);
    return env;
}

/* A callback that threw: report it and go on, the library cannot take exceptions. */
static void clear_exception(JNIEnv* env) {
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        (*env)->ExceptionClear(env);
    }
}

static void on_state(void* user, int state, int error_code, const char* message) {
    context* c = user;
    JNIEnv* env = thread_env(c->vm);
    jstring text;
    if (env == NULL)
        return;
    text = (*env)->NewStringUTF(env, message);
    (*env)->CallVoidMethod(env, c->dispatcher, c->on_state, state, error_code, text);
    clear_exception(env);
    (*env)->DeleteLocalRef(env, text);
}

static void on_log(void* user, int level, const char* component, const char* message) {
    context* c = user;
    JNIEnv* env = thread_env(c->vm);
    jstring from, text;
    if (env == NULL)
        return;
    from = (*env)->NewStringUTF(env, component);
    text = (*env)->NewStringUTF(env, message);
    (*env)->CallVoidMethod(env, c->dispatcher, c->on_log, level, from, text);
    clear_exception(env);
    (*env)->DeleteLocalRef(env, from);
    (*env)->DeleteLocalRef(env, text);
}

static int protect(void* user, intptr_t socket) {
    context* c = user;
    JNIEnv* env = thread_env(c->vm);
    jboolean ok;
    if (env == NULL)
        return -1;
    ok = (*env)->CallBooleanMethod(env, c->dispatcher, c->protect, (jint)socket);
    if ((*env)->ExceptionCheck(env)) {
        clear_exception(env);
        return -1;
    }
    return ok ? 0 : 1;
}

static jobjectArray string_array(JNIEnv* env, size_t count) {
    return (*env)->NewObjectArray(env, (jsize)count, (*env)->FindClass(env, "java/lang/String"), NULL);
}

static void set_string(JNIEnv* env, jobjectArray array, size_t index, const char* text) {
    jstring s = (*env)->NewStringUTF(env, text);
    (*env)->SetObjectArrayElement(env, array, (jsize)index, s);
    (*env)->DeleteLocalRef(env, s);
}

static void on_network(void* user, const vpnse_network* n, const vpnse_route* routes, size_t route_count) {
    context* c = user;
    JNIEnv* env = thread_env(c->vm);
    jobjectArray dns, destinations, gateways;
    jintArray prefixes;
    jint* prefix_values;
    jstring address, gateway, domain;
    size_t i;
    if (env == NULL || (*env)->PushLocalFrame(env, 16) != 0)
        return;
    dns = string_array(env, n->dns_count);
    for (i = 0; i < n->dns_count; ++i)
        set_string(env, dns, i, n->dns[i]);
    destinations = string_array(env, route_count);
    gateways = string_array(env, route_count);
    prefixes = (*env)->NewIntArray(env, (jsize)route_count);
    prefix_values = calloc(route_count + 1, sizeof *prefix_values);
    for (i = 0; i < route_count; ++i) {
        set_string(env, destinations, i, routes[i].destination);
        set_string(env, gateways, i, routes[i].gateway);
        prefix_values[i] = (jint)routes[i].prefix_length;
    }
    (*env)->SetIntArrayRegion(env, prefixes, 0, (jsize)route_count, prefix_values);
    free(prefix_values);
    address = (*env)->NewStringUTF(env, n->address);
    gateway = (*env)->NewStringUTF(env, n->gateway);
    domain = (*env)->NewStringUTF(env, n->domain);
    (*env)->CallVoidMethod(env, c->dispatcher, c->on_network, address, (jint)n->prefix_length, gateway, dns,
                           domain, (jint)n->mtu, (jlong)n->lease_seconds, destinations, prefixes, gateways);
    clear_exception(env);
    (*env)->PopLocalFrame(env, NULL);
}

static jlongArray stats_array(JNIEnv* env, const vpnse_stats* s) {
    jlong values[8];
    jlongArray array = (*env)->NewLongArray(env, 8);
    values[0] = (jlong)s->bytes_in;
    values[1] = (jlong)s->bytes_out;
    values[2] = (jlong)s->packets_in;
    values[3] = (jlong)s->packets_out;
    values[4] = (jlong)s->dropped;
    values[5] = (jlong)s->connections;
    values[6] = (jlong)s->reconnects;
    values[7] = (jlong)s->uptime_seconds;
    (*env)->SetLongArrayRegion(env, array, 0, 8, values);
    return array;
}

static void on_stats(void* user, const vpnse_stats* stats) {
    context* c = user;
    JNIEnv* env = thread_env(c->vm);
    jlongArray values;
    if (env == NULL)
        return;
    values = stats_array(env, stats);
    (*env)->CallVoidMethod(env, c->dispatcher, c->on_stats, values);
    clear_exception(env);
    (*env)->DeleteLocalRef(env, values);
}

static void throw_vpnse(JNIEnv* env, int code, const char* message) {
    jclass type = (*env)->FindClass(env, "org/vpnse/VpnseException");
    jmethodID make = (*env)->GetMethodID(env, type, "<init>", "(ILjava/lang/String;)V");
    jstring text = (*env)->NewStringUTF(env, message);
    jobject error = (*env)->NewObject(env, type, make, code, text);
    (*env)->Throw(env, (jthrowable)error);
}

static context* new_context(JNIEnv* env, jobject dispatcher) {
    jclass type = (*env)->GetObjectClass(env, dispatcher);
    context* c = calloc(1, sizeof *c);
    (*env)->GetJavaVM(env, &c->vm);
    c->dispatcher = (*env)->NewGlobalRef(env, dispatcher);
    c->on_state = (*env)->GetMethodID(env, type, "onState", "(IILjava/lang/String;)V");
    c->on_log = (*env)->GetMethodID(env, type, "onLog", "(ILjava/lang/String;Ljava/lang/String;)V");
    c->protect = (*env)->GetMethodID(env, type, "protect", "(I)Z");
    c->on_stats = (*env)->GetMethodID(env, type, "onStats", "([J)V");
    c->on_network = (*env)->GetMethodID(env, type, "onNetwork",
                                        "(Ljava/lang/String;ILjava/lang/String;[Ljava/lang/String;Ljava/lang/"
                                        "String;IJ[Ljava/lang/String;[I[Ljava/lang/String;)V");
    return c;
}

static void free_context(JNIEnv* env, context* c) {
    (*env)->DeleteGlobalRef(env, c->dispatcher);
    free(c);
}

/* Returns the context (as a long) whose `client` field the Kotlin side keeps with it; throws
 * VpnseException on a bad profile. */
JNIEXPORT jlongArray JNICALL Java_org_vpnse_VpnseClient_nativeCreate(JNIEnv* env, jclass cls, jstring toml,
                                                                     jstring name, jstring host_name,
                                                                     jint log_level, jint stats_ms,
                                                                     jobject dispatcher) {
    const char* text = (*env)->GetStringUTFChars(env, toml, NULL);
    const char* profile_name = (*env)->GetStringUTFChars(env, name, NULL);
    vpnse_config* config = NULL;
    vpnse_client* client = NULL;
    vpnse_callbacks callbacks = {0};
    char error[512] = "";
    context* c;
    jlong handles[2];
    jlongArray out;
    int rc = vpnse_config_parse(text, profile_name, &config, error, sizeof error);
    (void)cls;
    (*env)->ReleaseStringUTFChars(env, toml, text);
    (*env)->ReleaseStringUTFChars(env, name, profile_name);
    if (rc == VPNSE_OK && host_name != NULL) {
        const char* host = (*env)->GetStringUTFChars(env, host_name, NULL);
        rc = vpnse_config_set_host_name(config, host);
        (*env)->ReleaseStringUTFChars(env, host_name, host);
    }
    if (rc != VPNSE_OK) {
        vpnse_config_free(config);
        throw_vpnse(env, rc, error[0] ? error : vpnse_error_name(rc));
        return NULL;
    }
    c = new_context(env, dispatcher);
    callbacks.on_state = on_state;
    callbacks.on_log = on_log;
    callbacks.log_level = log_level;
    callbacks.user = c;
    rc = vpnse_client_create(config, &callbacks, &client);
    vpnse_config_free(config);
    if (rc == VPNSE_OK)
        rc = vpnse_client_set_protect_callback(client, protect, c);
    if (rc == VPNSE_OK)
        rc = vpnse_client_set_network_callback(client, on_network, c);
    if (rc == VPNSE_OK && stats_ms > 0)
        rc = vpnse_client_set_stats_callback(client, on_stats, (uint32_t)stats_ms, c);
    if (rc != VPNSE_OK) {
        vpnse_client_free(client);
        free_context(env, c);
        throw_vpnse(env, rc, vpnse_error_name(rc));
        return NULL;
    }
    handles[0] = (jlong)(intptr_t)client;
    handles[1] = (jlong)(intptr_t)c;
    out = (*env)->NewLongArray(env, 2);
    (*env)->SetLongArrayRegion(env, out, 0, 2, handles);
    return out;
}

JNIEXPORT void JNICALL Java_org_vpnse_VpnseClient_nativeFree(JNIEnv* env, jclass cls, jlong client, jlong c) {
    (void)cls;
    vpnse_client_free((vpnse_client*)(intptr_t)client); /* no callback after this */
    free_context(env, (context*)(intptr_t)c);
}

#define CLIENT(handle) ((vpnse_client*)(intptr_t)(handle))

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeConnect(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    return vpnse_client_connect(CLIENT(client));
}

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeDisconnect(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    return vpnse_client_disconnect(CLIENT(client));
}

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeWaitState(JNIEnv* env, jclass cls, jlong client,
                                                                  jint state, jint timeout_ms) {
    (void)env;
    (void)cls;
    return vpnse_client_wait_state(CLIENT(client), state, timeout_ms);
}

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeState(JNIEnv* env, jclass cls, jlong client) {
    int state = VPNSE_STATE_DISCONNECTED;
    (void)env;
    (void)cls;
    vpnse_client_state(CLIENT(client), &state);
    return state;
}

JNIEXPORT jstring JNICALL Java_org_vpnse_VpnseClient_nativeLastError(JNIEnv* env, jclass cls, jlong client) {
    char text[512] = "";
    (void)cls;
    vpnse_client_last_error(CLIENT(client), text, sizeof text);
    return (*env)->NewStringUTF(env, text);
}

JNIEXPORT jlongArray JNICALL Java_org_vpnse_VpnseClient_nativeStats(JNIEnv* env, jclass cls, jlong client) {
    vpnse_stats stats = {0};
    (void)cls;
    vpnse_client_stats(CLIENT(client), &stats);
    return stats_array(env, &stats);
}

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeAttachTunFd(JNIEnv* env, jclass cls, jlong client,
                                                                    jint fd) {
    (void)env;
    (void)cls;
    return vpnse_client_attach_tun_fd(CLIENT(client), fd);
}

JNIEXPORT jint JNICALL Java_org_vpnse_VpnseClient_nativeDetachTunFd(JNIEnv* env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    return vpnse_client_detach_tun_fd(CLIENT(client));
}

JNIEXPORT jstring JNICALL Java_org_vpnse_VpnseClient_nativeErrorName(JNIEnv* env, jclass cls, jint code) {
    (void)cls;
    return (*env)->NewStringUTF(env, vpnse_error_name(code));
}

JNIEXPORT jstring JNICALL Java_org_vpnse_VpnseClient_nativeVersion(JNIEnv* env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, vpnse_version());
}
