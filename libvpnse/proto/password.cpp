#include "proto/password.hpp"

#include <string>

namespace vpnse::proto {

Sha0Digest hash_password(std::string_view username, std::string_view password) {
    std::string upper(username);
    for (auto& c : upper) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    Sha0 hash;
    hash.update(as_bytes(password));
    hash.update(as_bytes(upper));
    return hash.finish();
}

Sha0Digest secure_password(const Sha0Digest& password_hash, ByteSpan server_random) {
    Sha0 hash;
    hash.update(password_hash);
    hash.update(server_random);
    return hash.finish();
}

}  // namespace vpnse::proto
