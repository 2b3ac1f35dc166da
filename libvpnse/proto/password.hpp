#pragma once
// SoftEther password hashing (softether-protocol.md 7.2, 7.3).
#include <string_view>

#include "core/bytes.hpp"
#include "proto/sha0.hpp"

namespace vpnse::proto {

// SHA0(password ‖ UPPER(username)); only ASCII a–z are upper-cased.
Sha0Digest hash_password(std::string_view username, std::string_view password);
// SHA0(hash ‖ the 20-byte random of this connection's hello).
Sha0Digest secure_password(const Sha0Digest& password_hash, ByteSpan server_random);

}  // namespace vpnse::proto
