#pragma once
// mbedTLS error codes as text for messages, shared by the mbedTLS files of this folder.
#include <string>

namespace vpnse::tls {

// "X509 - Certificate verification failed (-0x2700)"
std::string mbedtls_message(int code);

}  // namespace vpnse::tls
