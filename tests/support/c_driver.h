/* What the C drivers of the C API (tests/ffi/ffi_c_test.c on Linux, tests/windows/capi_wine_test.c under
 * wine) share: an ICMP echo request to put through the packet API, the check for its reply, and reading
 * the profile file. Plain C99, static functions: each driver is one translation unit. */
#ifndef VPNSE_TEST_C_DRIVER_H
#define VPNSE_TEST_C_DRIVER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned short checksum(const unsigned char* p, size_t n) {
    unsigned long sum = 0;
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        sum += (unsigned long)((p[i] << 8) | p[i + 1]);
    if (n & 1)
        sum += (unsigned long)(p[n - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (unsigned short)~sum;
}

/* An 84-byte IPv4 ICMP echo request, identifier 0x1234. */
static void make_echo(unsigned char* packet, const unsigned char* source, const unsigned char* target,
                      int sequence) {
    memset(packet, 0, 84);
    packet[0] = 0x45;
    packet[3] = 84;
    packet[8] = 64;
    packet[9] = 1;
    memcpy(packet + 12, source, 4);
    memcpy(packet + 16, target, 4);
    packet[10] = (unsigned char)(checksum(packet, 20) >> 8);
    packet[11] = (unsigned char)checksum(packet, 20);
    packet[20] = 8;
    packet[24] = 0x12;
    packet[25] = 0x34;
    packet[27] = (unsigned char)sequence;
    packet[22] = (unsigned char)(checksum(packet + 20, 64) >> 8);
    packet[23] = (unsigned char)checksum(packet + 20, 64);
}

static int is_echo_reply(const unsigned char* reply, size_t size) {
    return size >= 28 && reply[9] == 1 && reply[20] == 0 && reply[24] == 0x12 && reply[25] == 0x34;
}

static int parse_ip(const char* text, unsigned char out[4]) {
    unsigned a, b, c, d;
    if (sscanf(text, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        return 0;
    out[0] = (unsigned char)a;
    out[1] = (unsigned char)b;
    out[2] = (unsigned char)c;
    out[3] = (unsigned char)d;
    return 1;
}

static char* read_file(const char* path) {
    FILE* f = fopen(path, "rb");
    long size;
    char* text;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = (char*)calloc((size_t)size + 1, 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

#endif
